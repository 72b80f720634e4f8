// Converts the Ruby (Onigmo) regular expressions of Linguist's heuristics.yml into JavaScript RegExps:
// line anchors, leading and scoped flags ((?i), (?i:…), (?x), (?m)), atomic groups, possessive
// quantifiers, \A \z \Z \h, POSIX classes and \g<name> subroutine calls. Browser-safe.

const POSIX_CLASSES: Record<string, string> = {
	alpha: 'A-Za-z',
	digit: '0-9',
	alnum: 'A-Za-z0-9',
	upper: 'A-Z',
	lower: 'a-z',
	space: '\\s',
	xdigit: '0-9A-Fa-f',
	punct: '!-\\/:-@\\[-`{-~',
	word: '\\w',
	blank: ' \\t',
	cntrl: '\\x00-\\x1f\\x7f',
	print: '\\x20-\\x7e',
	graph: '\\x21-\\x7e'
};

const ESCAPES_OUTSIDE_CLASS: Record<string, string> = {
	A: '(?<![\\s\\S])',
	z: '(?![\\s\\S])',
	Z: '(?=\\n?(?![\\s\\S]))',
	h: '[0-9A-Fa-f]',
	H: '[^0-9A-Fa-f]'
};

/** The other case of a letter, or '' for anything else. */
function otherCase(char: string): string {
	const lower = char.toLowerCase();
	const upper = char.toUpperCase();
	if (lower === upper) return '';
	return char === lower ? upper : lower;
}

/** Index just past the group that opens at `open` (a '('), honouring escapes and classes. */
function groupEnd(source: string, open: number): number {
	let depth = 0;
	for (let i = open; i < source.length; i++) {
		const char = source[i];
		if (char === '\\') i++;
		else if (char === '[') i = classEnd(source, i) - 1;
		else if (char === '(') depth++;
		else if (char === ')' && --depth === 0) return i + 1;
	}
	throw new SyntaxError(`unbalanced group at ${open}`);
}

/** Index just past the character class that opens at `open` (a '['). */
function classEnd(source: string, open: number): number {
	let i = open + 1;
	if (source[i] === '^') i++;
	if (source[i] === ']') i++;
	for (; i < source.length; i++) {
		if (source[i] === '\\') i++;
		else if (source.startsWith('[:', i)) i = source.indexOf(':]', i) + 1;
		else if (source[i] === '[') i = classEnd(source, i) - 1;
		else if (source[i] === ']') return i + 1;
	}
	throw new SyntaxError(`unterminated class at ${open}`);
}

/** Replaces `\g<name>` calls by a copy of the named group's body (its own names dropped). */
function inlineSubroutineCalls(source: string): string {
	return source.replace(/\\g<(\w+)>/g, (_call, name: string) => {
		const open = source.indexOf(`(?<${name}>`);
		if (open === -1) throw new SyntaxError(`\\g<${name}> names no group`);
		const body = source.slice(open + name.length + 4, groupEnd(source, open) - 1);
		return `(?:${body.replace(/\(\?<(\w+)>/g, '(?:')})`;
	});
}

/** Drops free-spacing whitespace and `#` comments outside classes ((?x) mode). */
function stripFreeSpacing(source: string): string {
	let out = '';
	for (let i = 0; i < source.length; i++) {
		const char = source[i];
		if (char === '\\') out += source.slice(i, ++i + 1);
		else if (char === '[') {
			const end = classEnd(source, i);
			out += source.slice(i, end);
			i = end - 1;
		} else if (char === '#') while (i + 1 < source.length && source[i + 1] !== '\n') i++;
		else if (!/\s/.test(char)) out += char;
	}
	return out;
}

/** A class body with POSIX classes expanded and, when case-insensitive, the other case of every letter added. */
function convertClass(body: string, caseless: boolean): string {
	let out = '';
	let extra = '';
	for (let i = 0; i < body.length; i++) {
		if (body.startsWith('[:', i)) {
			const end = body.indexOf(':]', i);
			const name = body.slice(i + 2, end);
			const expansion = POSIX_CLASSES[name];
			if (expansion === undefined) throw new SyntaxError(`unknown POSIX class [:${name}:]`);
			out += expansion;
			i = end + 1;
		} else if (body[i] === '\\') {
			const next = body[i + 1];
			out += next === 'h' ? '0-9A-Fa-f' : body.slice(i, i + 2);
			i++;
		} else if (
			caseless &&
			body[i + 1] === '-' &&
			body[i + 2] !== undefined &&
			body[i + 2] !== ']' &&
			otherCase(body[i]) &&
			otherCase(body[i + 2])
		) {
			out += body.slice(i, i + 3);
			extra += `${otherCase(body[i])}-${otherCase(body[i + 2])}`;
			i += 2;
		} else {
			out += body[i];
			if (caseless) extra += otherCase(body[i]);
		}
	}
	return out + extra;
}

/**
 * One Linguist pattern as a JavaScript RegExp. Ruby's ^ and $ always match at line breaks (flag m);
 * Ruby's (?m) is JavaScript's dotAll (flag s). Scoped case-insensitivity is spelled out letter by letter,
 * since JavaScript of this era has no inline modifiers. Throws SyntaxError for what it cannot convert.
 */
export function pcreToJs(pattern: string): RegExp {
	const flags = new Set(['m']);
	let source = pattern;
	for (let leading = /^\(\?([imx]+)\)/.exec(source); leading; leading = /^\(\?([imx]+)\)/.exec(source)) {
		for (const flag of leading[1]) flags.add(flag === 'm' ? 's' : flag);
		source = source.slice(leading[0].length);
	}
	if (flags.delete('x')) source = stripFreeSpacing(source);
	source = inlineSubroutineCalls(source);

	const globalCaseless = flags.has('i');
	const groups: Array<{ caseless: boolean; start: number; atomic: boolean }> = [];
	let caseless = globalCaseless;
	let out = '';
	/** Where the last atom (a character, class, escape or group) starts in `out`, for its quantifier. */
	let atomStart = 0;
	let afterQuantifier = false;
	let atomics = 0;
	// Ruby's atomic groups and possessive quantifiers match once and never give back: a lookahead captures what
	// the greedy match takes, and the backreference consumes exactly that.
	const atomic = (body: string) => `(?:(?=(?<_atomic${++atomics}>${body}))\\k<_atomic${atomics}>)`;
	for (let i = 0; i < source.length; i++) {
		const char = source[i];
		const wasQuantifier: boolean = afterQuantifier;
		afterQuantifier = false;
		if (char === '\\') {
			const token = /^\\(?:k<\w+>|x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|[pP]\{[^}]+\}|.)/.exec(source.slice(i))![0];
			atomStart = out.length;
			out += ESCAPES_OUTSIDE_CLASS[token[1]] && token.length === 2 ? ESCAPES_OUTSIDE_CLASS[token[1]] : token;
			i += token.length - 1;
		} else if (char === '[') {
			const end = classEnd(source, i);
			const negated = source[i + 1] === '^';
			const body = source.slice(i + (negated ? 2 : 1), end - 1);
			atomStart = out.length;
			out += `[${negated ? '^' : ''}${convertClass(body, caseless && !globalCaseless)}]`;
			i = end - 1;
		} else if (char === '(') {
			const modifier = /^\(\?([imx]*)(?:-([imx]+))?(:|\))/.exec(source.slice(i));
			if (modifier && (modifier[1] || modifier[2])) {
				// Turning dotall or free-spacing off where they are off is a no-op; turning them on in a scope is not supported.
				const changes = /[mx]/.test(modifier[1]) || (modifier[2]?.includes('m') && flags.has('s'));
				if (changes) throw new SyntaxError(`scoped (?m) and (?x) are not supported: ${modifier[0]}`);
				if (modifier[2]?.includes('i') && globalCaseless)
					throw new SyntaxError('(?-i) inside a case-insensitive pattern is not supported');
				const scoped = modifier[1].includes('i') ? true : modifier[2]?.includes('i') ? false : caseless;
				if (modifier[3] === ')') caseless = scoped;
				else {
					groups.push({ caseless, start: out.length, atomic: false });
					caseless = scoped;
					out += '(?:';
				}
				i += modifier[0].length - 1;
			} else {
				const isAtomic = source.startsWith('(?>', i);
				const opener = isAtomic ? '(?>' : (/^\(\?(?:<[=!]|<\w+>|[:=!])/.exec(source.slice(i))?.[0] ?? '(');
				groups.push({ caseless, start: out.length, atomic: isAtomic });
				out += isAtomic ? '(?:' : opener;
				i += opener.length - 1;
			}
		} else if (char === ')') {
			const group = groups.pop();
			if (!group) throw new SyntaxError(`unbalanced ) at ${i}`);
			caseless = group.caseless;
			out += ')';
			if (group.atomic) out = out.slice(0, group.start) + atomic(out.slice(group.start + 3, -1));
			atomStart = group.start;
		} else if (char === '+' && wasQuantifier) {
			out = out.slice(0, atomStart) + atomic(out.slice(atomStart));
		} else if ('*+?'.includes(char) || (char === '}' && /\{\d*,?\d*$/.test(out))) {
			out += char;
			afterQuantifier = char !== '?' || !wasQuantifier;
		} else if (char === '{' && /^\{\d*,?\d*\}/.test(source.slice(i))) {
			if (source.startsWith('{,', i))
				out += '{0'; // Ruby's {,n} is {0,n}
			else out += '{';
		} else {
			atomStart = out.length;
			const swapped = caseless && !globalCaseless ? otherCase(char) : '';
			out += swapped ? `[${char}${swapped}]` : char;
		}
	}
	if (groups.length > 0) throw new SyntaxError('unbalanced (');
	return new RegExp(out, [...flags].join(''));
}

// The reason a JSON.parse failed, without the file's own content: V8 quotes the start of the text
// ("IMPORTANT secret=…" is not valid JSON), which may be private, binary or terminal escapes.

/** E.g. "unexpected token at position 0", "unexpected end of input", "Expected ':' after property name at position 5". */
export function jsonSyntaxReason(error: unknown): string {
	const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
	if (/Unexpected end of JSON input/.test(message)) return 'unexpected end of input';
	const position = /at position (\d+)/.exec(message)?.[1];
	const quoted = /^Unexpected token .*, ".*" is not valid JSON$/s.test(message);
	if (quoted) return 'not JSON from its first character on';
	// eslint-disable-next-line no-control-regex -- control characters in the message become '?'
	const plain = message.replace(/ in JSON at position \d+.*$/, '').replace(/[\u0000-\u001f\u007f]/g, '?');
	return position === undefined ? plain : `${plain} at position ${position}`;
}

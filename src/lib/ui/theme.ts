// The colour theme choice: the system's (prefers-color-scheme, set on <html data-theme> by app.html) until the
// user picks light or dark, then that pick, remembered in localStorage.

export type Theme = 'light' | 'dark';
const STORAGE_KEY = 'expert-theme';

export function currentTheme(): Theme {
	const chosen = document.documentElement.dataset.theme;
	if (chosen === 'light' || chosen === 'dark') return chosen;
	return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function setTheme(theme: Theme): void {
	document.documentElement.dataset.theme = theme;
	try {
		localStorage.setItem(STORAGE_KEY, theme);
	} catch {
		// storage refused (private mode): the choice lasts for this page only
	}
}

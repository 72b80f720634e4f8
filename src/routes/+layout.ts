// The whole app is prerendered to static files and runs client-side only.
export const prerender = true;
export const ssr = false;

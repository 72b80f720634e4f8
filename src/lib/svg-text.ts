// Text escaping for the small standalone SVG charts the project writes (loss curves, confusion matrices).
export const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

import type { ServerResponse } from 'node:http';

/** Where the stylesheet of the server's own pages is served. */
export const PAGE_CSS_PATH = '/auth/assets/page.css';

/**
 * The look of the console (its accent, type and surfaces) for the few pages the server renders
 * itself: signed out, sign-in unavailable, and the development sign-in. A stylesheet of our own,
 * so the pages load nothing from elsewhere and need no inline style or script.
 */
export const PAGE_CSS = `
:root { color-scheme: light dark; --accent: #4652da; --accent-hover: #3743c2; --text: #1f2330;
  --muted: #5c6270; --surface: #ffffff; --page: #f4f5f9; --border: #dfe2ea; --notice: #fff7e6;
  --notice-border: #f0c36d; }
@media (prefers-color-scheme: dark) { :root { --accent: #525ddb; --accent-hover: #4652da;
  --text: #e4e6ee; --muted: #a0a6b4; --surface: #1d2029; --page: #14161d; --border: #2e3240;
  --notice: #2d2616; --notice-border: #8a6a2c; } }
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: var(--page);
  color: var(--text); font: 15px/1.5 ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto,
  "Helvetica Neue", Arial, sans-serif; }
main { width: min(420px, calc(100vw - 32px)); background: var(--surface); border: 1px solid var(--border);
  border-radius: 12px; padding: 28px; box-shadow: 0 1px 3px rgb(0 0 0 / 6%); }
.brand { display: flex; align-items: center; gap: 10px; font-weight: 650; margin-bottom: 18px; }
.mark { width: 28px; height: 28px; border-radius: 8px; background: var(--accent); }
h1 { font-size: 21px; font-weight: 650; margin: 0 0 8px; }
p { margin: 0 0 14px; color: var(--muted); }
.notice { background: var(--notice); border: 1px solid var(--notice-border); border-radius: 8px;
  padding: 10px 12px; margin-bottom: 18px; font-size: 14px; color: var(--text); }
label { display: block; font-weight: 550; margin-bottom: 6px; }
input[type=text], input[type=password] { width: 100%; padding: 9px 11px; border: 1px solid var(--border);
  border-radius: 8px; background: var(--surface); color: var(--text); font: inherit; margin-bottom: 14px; }
input:focus-visible, button:focus-visible, a:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
button, .button { display: inline-block; width: 100%; padding: 10px 14px; border: 0; border-radius: 8px;
  background: var(--accent); color: #fff; font: inherit; font-weight: 600; cursor: pointer;
  text-align: center; text-decoration: none; }
button:hover, .button:hover { background: var(--accent-hover); }
.error { color: #c92a2a; font-size: 14px; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
`;

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A whole page in the console's look; `body` is trusted HTML (escape what goes into it). */
export function renderPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · JustIAM Control Plane</title>
<link rel="icon" href="/ui/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="${PAGE_CSS_PATH}">
</head>
<body>
<main>
<div class="brand"><span class="mark" aria-hidden="true"></span>JustIAM Control Plane</div>
${body}
</main>
</body>
</html>`;
}

/** Sends a page (never cached: these pages belong to one moment of a sign-in). */
export function sendPage(res: ServerResponse, status: number, title: string, body: string, headers = {}) {
  const html = renderPage(title, body);
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(html);
}

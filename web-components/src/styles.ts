// Shared look of the ecourt elements. Colours and fonts are CSS custom properties so a court's
// own site can restyle the embedded elements; only local system fonts (no font downloads).
import { css } from 'lit';

export const baseStyles = css`
  :host {
    --ecourt-accent: #a4161a;
    --ecourt-accent-dark: #7a0f12;
    --ecourt-ink: #1f2328;
    --ecourt-muted: #5c6670;
    --ecourt-line: #d9dde2;
    --ecourt-surface: #ffffff;
    --ecourt-shade: #f5f6f8;
    --ecourt-ok: #1b7f3b;
    --ecourt-error: #b3261e;
    display: block;
    color: var(--ecourt-ink);
    font-family: var(--ecourt-font, system-ui, -apple-system, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'WenQuanYi Zen Hei', sans-serif);
    font-size: 16px;
    line-height: 1.6;
  }
  *, *::before, *::after { box-sizing: border-box; }
  h2 { font-size: 1.3rem; margin: 0 0 0.75rem; color: var(--ecourt-accent-dark); }
  h3 { font-size: 1.05rem; margin: 1rem 0 0.5rem; }
  a { color: var(--ecourt-accent); }
  button {
    font: inherit;
    cursor: pointer;
    border-radius: 4px;
    border: 1px solid var(--ecourt-accent);
    background: var(--ecourt-accent);
    color: #fff;
    padding: 0.45rem 1rem;
    min-height: 2.5rem;
  }
  button.secondary { background: var(--ecourt-surface); color: var(--ecourt-accent); }
  button:disabled { opacity: 0.6; cursor: progress; }
  label { display: block; margin: 0.6rem 0 0.2rem; font-weight: 600; }
  input, select, textarea {
    font: inherit;
    width: 100%;
    padding: 0.45rem 0.6rem;
    border: 1px solid var(--ecourt-line);
    border-radius: 4px;
    background: var(--ecourt-surface);
    color: inherit;
  }
  textarea { min-height: 5rem; resize: vertical; }
  .error {
    color: var(--ecourt-error);
    background: #fdecea;
    border-left: 4px solid var(--ecourt-error);
    padding: 0.5rem 0.75rem;
    margin: 0.75rem 0;
  }
  .notice {
    color: var(--ecourt-ok);
    background: #e8f5ec;
    border-left: 4px solid var(--ecourt-ok);
    padding: 0.5rem 0.75rem;
    margin: 0.75rem 0;
  }
  .muted { color: var(--ecourt-muted); }
  .card {
    background: var(--ecourt-surface);
    border: 1px solid var(--ecourt-line);
    border-radius: 6px;
    padding: 1rem 1.25rem;
  }
  .badge {
    display: inline-block;
    padding: 0 0.5rem;
    border-radius: 999px;
    background: var(--ecourt-shade);
    border: 1px solid var(--ecourt-line);
    font-size: 0.875rem;
    white-space: nowrap;
  }
`;

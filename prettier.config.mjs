// The code's formatter (`npm run format`; CI runs `npm run format:check`). Its defaults, with lines
// up to 120 characters. Markdown, YAML, JSON and SQL keep their hand layout (tables, Helm templates).
/** @type {import("prettier").Config} */
const config = { printWidth: 120 };
export default config;

/**
 * The public directory's styles (phones first, large type, contrast ≥ 4.5:1 for every text: GB/T 37668 and
 * WCAG 2.1 AA, checked by axe-core in tests/browser/directory.e2e-spec.ts).
 */
export const PUBLIC_DIRECTORY_STYLES = `
:host { display: block; min-height: 100vh; background: #f3f5f8; color: #1f1f1f; font-size: 17px; line-height: 1.55; }
.dir-header { display: flex; align-items: center; gap: 8px; min-height: 56px; padding: 0 12px; background: #0b4fb3; color: #fff; }
.dir-header h1, .dir-header .dir-brand { flex: 1; margin: 0; font-size: 19px; font-weight: 600; color: #fff; text-decoration: none; }
.dir-lang { flex: none; min-height: 44px; padding: 0 12px; border: 1px solid #fff; border-radius: 22px; background: transparent; color: #fff; font-size: 16px; cursor: pointer; }
main { max-width: 720px; margin: 0 auto; padding: 12px 12px 32px; box-sizing: border-box; }
.dir-card { background: #fff; border-radius: 12px; padding: 14px; margin-bottom: 12px; box-shadow: 0 1px 2px rgba(0, 0, 0, 0.06); }
.dir-card h2, .dir-card h3 { margin: 0 0 6px; font-size: 19px; color: #1f1f1f; }
.dir-muted { color: #4a4a4a; font-size: 15px; }
.dir-model { display: inline-block; margin: 4px 0; padding: 2px 8px; border-radius: 4px; font-size: 15px; }
.dir-model-notice { color: #613400; background: #fff7e6; border: 1px solid #ffd591; }
.dir-model-designated { color: #135200; background: #f6ffed; border: 1px solid #b7eb8f; }
.dir-model-note { margin-left: 8px; }
.dir-model-list { list-style: none; padding: 0; margin: 0; display: grid; gap: 8px; }
.dir-form { display: grid; grid-template-columns: 1fr; gap: 10px; }
.dir-form label { display: flex; flex-direction: column; gap: 4px; font-size: 15px; color: #1f1f1f; }
.dir-form input, .dir-form select { min-height: 46px; padding: 0 10px; font-size: 17px; border: 1px solid #767676; border-radius: 8px; background: #fff; color: #1f1f1f; }
.dir-btn { min-height: 46px; padding: 0 18px; border: 0; border-radius: 8px; background: #0b4fb3; color: #fff; font-size: 17px; cursor: pointer; }
.dir-row { display: flex; gap: 8px; margin-top: 4px; }
.dir-row b { flex: none; min-width: 5em; color: #333; font-weight: 600; }
a { color: #0b4fb3; }
.dir-tel { display: inline-flex; align-items: center; min-height: 44px; font-size: 19px; font-weight: 600; }
.dir-links { display: flex; flex-wrap: wrap; gap: 16px; margin-top: 6px; }
.dir-links a { display: inline-flex; align-items: center; min-height: 44px; }
.dir-map { width: 100%; height: 360px; }
.dir-tags { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 6px; }
.dir-tag { padding: 2px 8px; border-radius: 6px; background: #e8f0fe; color: #0b3d91; font-size: 15px; }
table { width: 100%; border-collapse: collapse; font-size: 16px; }
th, td { text-align: left; padding: 8px 6px; border-bottom: 1px solid #d9d9d9; }
th { color: #333; }
td.num, th.num { text-align: right; }
.dir-crumbs { display: flex; flex-wrap: wrap; gap: 6px; margin-bottom: 8px; font-size: 15px; }
@media (min-width: 640px) { .dir-form { grid-template-columns: 1fr 1fr 1fr; align-items: end; } .dir-map { height: 460px; } }
`;

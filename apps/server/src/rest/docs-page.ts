type Doc = ReturnType<typeof import('./openapi').openApiDocument>;

const html = (s: unknown) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const EXAMPLES: Record<string, string> = {
  'POST /api/v1/backfill':
    "curl -X POST 'http://HOST/api/v1/backfill?symbols=AAPL&symbols=GOOGL&start_date=2024-01-01&end_date=2024-01-31&timeframes=1h'",
  'GET /api/v1/backfill/status/{job_id}': "curl 'http://HOST/api/v1/backfill/status/JOB_ID'",
  'GET /api/v1/backfill/recent': "curl 'http://HOST/api/v1/backfill/recent?limit=10'",
};

/** A readable page of the OpenAPI document, rendered on the server: no scripts, no CDN. */
export function renderDocsPage(doc: Doc): string {
  const sections: string[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item ?? {}) as [string, Record<string, unknown>][]) {
      const key = `${method.toUpperCase()} ${path}`;
      const params =
        (op.parameters as { name: string; in: string; required?: boolean; schema?: unknown }[] | undefined) ?? [];
      const responses = Object.entries((op.responses as Record<string, { description?: string }>) ?? {});
      // An example wider than the page scrolls, so it takes focus (tabindex) for keyboard users.
      sections.push(`<section>
  <h2><span class="m ${html(method)}">${html(method.toUpperCase())}</span> <code>${html(path)}</code></h2>
  <p>${html(op.summary)}${op.description ? ` — ${html(op.description)}` : ''}</p>
  ${
    params.length
      ? `<h3>Parameters</h3><table><tr><th>name</th><th>in</th><th>required</th><th>schema</th></tr>${params
          .map(
            (p) =>
              `<tr><td><code>${html(p.name)}</code></td><td>${html(p.in)}</td><td>${p.required ? 'yes' : 'no'}</td><td><code>${html(JSON.stringify(p.schema))}</code></td></tr>`,
          )
          .join('')}</table>`
      : ''
  }
  <h3>Responses</h3><ul>${responses.map(([code, r]) => `<li><b>${html(code)}</b> ${html(r.description)}</li>`).join('')}</ul>
  ${EXAMPLES[key] ? `<h3>Example</h3><pre tabindex="0">${html(EXAMPLES[key])}</pre>` : ''}
</section>`);
    }
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Candlebase API docs</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;background:#0b1220;color:#e2e8f0}
main{max-width:960px;margin:0 auto;padding:24px}
a{color:#60a5fa} code,pre{font-family:ui-monospace,monospace} pre{background:#111a2e;padding:12px;border-radius:8px;overflow:auto}
section{border:1px solid #1e293b;border-radius:10px;padding:16px 20px;margin:16px 0;background:#0f172a}
table{border-collapse:collapse;width:100%} td,th{border-bottom:1px solid #1e293b;padding:6px;text-align:left;vertical-align:top}
td code{font-size:12px;word-break:break-all}
.m{display:inline-block;padding:2px 8px;border-radius:6px;font-size:13px}.post{background:#166534}.get{background:#1e40af}
</style></head><body><main>
<h1>${html(doc.info.title)} <small>v${html(doc.info.version)}</small></h1>
<p>${html(doc.info.description)}</p>
<p>Machine-readable: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1). The dashboard itself talks tRPC at <code>/trpc</code>; its types are exported as <code>AppRouter</code>.</p>
${sections.join('\n')}
</main></body></html>`;
}

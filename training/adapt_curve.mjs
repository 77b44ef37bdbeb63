// The few-shot adaptation curve as a picture: one panel per `ser eval --adapt-shots` report
// (a protocol), mean UAR over held-out speakers against K labelled clips per label, for the
// unadapted fold models, the adapted ones, and the two guards (keep the base when
// leave-one-out on the adaptation clips says worse, judged by UAR or by log-likelihood).
// K = 0 is the unsupervised case: the speaker's statistics from unlabelled clips; a purple
// diamond there is the speaker baseline (the model's lean on the voice, divided out).
//
//   node training/adapt_curve.mjs "RAVDESS actors=adapt-a.json" "nEMO + ASED speakers=adapt-c.json" \
//        [--method norm+head2] > curve.svg

import fs from 'node:fs';

const series = [
  { key: 'uar_before', name: 'not adapted', colour: '#888888', dash: '5 4' },
  { key: 'uar_adapted', name: 'adapted', colour: '#1f5fa8' },
  { key: 'uar_guarded', name: 'guarded (UAR)', colour: '#d9822b' },
  { key: 'uar_likelihood_guarded', name: 'guarded (likelihood)', colour: '#2f9e44' },
];

// The summary rows of one method, K ascending, with K = 0 (run as "norm") in front.
export function curve(report, method) {
  const rows = report.summary.filter((s) => (s.shots === 0 && s.method === 'norm') || s.method === method);
  return rows.sort((a, b) => a.shots - b.shots);
}

function panel(title, rows, baseline, x0, width, height) {
  const left = x0 + 44, right = x0 + width - 12, top = 34, bottom = height - 40;
  const shots = rows.map((r) => r.shots);
  const maxK = Math.max(...shots, 1);
  const x = (k) => left + (right - left) * (k / maxK);
  const y = (uar) => bottom - (bottom - top) * uar;
  const out = [`<text x="${(left + right) / 2}" y="20" text-anchor="middle" font-weight="bold">${escape(title)}</text>`];
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    out.push(`<line x1="${left}" y1="${y(tick)}" x2="${right}" y2="${y(tick)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${left - 6}" y="${y(tick) + 4}" text-anchor="end">${tick.toFixed(2)}</text>`);
  }
  for (const k of shots) out.push(`<text x="${x(k)}" y="${bottom + 16}" text-anchor="middle">${k}</text>`);
  out.push(`<text x="${(left + right) / 2}" y="${bottom + 32}" text-anchor="middle">clips per label (K)</text>`);
  for (const s of series) {
    const points = rows.filter((r) => typeof r[s.key] === 'number');
    if (points.length === 0) continue;
    const path = points.map((r) => `${x(r.shots).toFixed(1)},${y(r[s.key]).toFixed(1)}`).join(' ');
    out.push(`<polyline fill="none" stroke="${s.colour}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''} points="${path}"/>`);
    for (const r of points) out.push(`<circle cx="${x(r.shots).toFixed(1)}" cy="${y(r[s.key]).toFixed(1)}" r="3" fill="${s.colour}"/>`);
  }
  if (baseline) {
    const cx = x(0), cy = y(baseline.uar_adapted);
    out.push(`<path d="M${cx} ${cy - 5} L${cx + 5} ${cy} L${cx} ${cy + 5} L${cx - 5} ${cy} Z" fill="#7048e8"/>`);
  }
  const speakers = rows.length ? rows[rows.length - 1].speakers : 0;
  out.push(`<text x="${right}" y="${bottom - 6}" text-anchor="end" fill="#666">${speakers} speakers</text>`);
  return out.join('\n');
}

function escape(text) {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function curveSvg(panels, method = 'norm+head2') {
  const width = 300, height = 260, legend = 42;
  const total = width * panels.length;
  const body = panels.map((p, i) => panel(p.title, curve(p.report, method),
    p.report.summary.find((s) => s.method === 'baseline'), i * width, width, height));
  const keys = series.map((s, i) =>
    `<line x1="${12 + i * 150}" y1="${height + 13}" x2="${36 + i * 150}" y2="${height + 13}" stroke="${s.colour}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>` +
    `<text x="${40 + i * 150}" y="${height + 17}">${s.name}</text>`);
  keys.push(`<path d="M${12 + series.length * 150 + 12} ${height + 8} l5 5 l-5 5 l-5 -5 Z" fill="#7048e8"/>` +
    `<text x="${40 + series.length * 150}" y="${height + 17}">speaker baseline (no labels)</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.max(total, 800)}" height="${height + legend}" font-family="sans-serif" font-size="11">
<rect width="100%" height="100%" fill="white"/>
${body.join('\n')}
${keys.join('\n')}
<text x="12" y="${height + 35}" fill="#666">mean UAR over the held-out speakers measured at each K (too few clips for a K: left out), ${escape(method)}</text>
</svg>
`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--method');
  const method = at >= 0 ? args.splice(at, 2)[1] : 'norm+head2';
  if (args.length === 0) {
    console.error('usage: node training/adapt_curve.mjs "TITLE=REPORT.json" ... [--method M] > curve.svg');
    process.exit(2);
  }
  const panels = args.map((a) => {
    const eq = a.indexOf('=');
    const [title, file] = eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, a];
    return { title, report: JSON.parse(fs.readFileSync(file, 'utf8')) };
  });
  process.stdout.write(curveSvg(panels, method));
}

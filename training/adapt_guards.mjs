// How strict should the guard be? From `ser eval --adapt-shots` reports (each speaker's
// line keeps the leave-one-out evidence the guard saw), the guarded result for a range of
// margins: the adapted model is kept only when its mean log-likelihood of the speaker's own
// labels beats the base's by at least the margin (0 is the guard `ser adapt` and the page
// use; a negative margin forgives leave-one-out's handicap: each of its models learnt from
// one clip fewer than the model kept). Per method and K: mean UAR, the worst speaker's
// delta, speakers worse by more than 0.02, and how often the base was kept.
//
//   node training/adapt_guards.mjs REPORT.json [REPORT.json ...] [--method norm+head2]
//        [--margins -0.3,-0.2,-0.1,0,0.1,0.2,0.4] [--min-test-clips N]

import fs from 'node:fs';

// Rows for one method and K >= 1: one per margin.
export function guardTable(reports, { method = 'norm+head2', margins = [-0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.4], minTestClips = 0 } = {}) {
  const lines = reports.flatMap((r) => r.speakers)
    .filter((s) => s.method === method && s.shots > 0 && s.leave_one_out && s.test_clips >= minTestClips);
  const rows = [];
  for (const shots of [...new Set(lines.map((s) => s.shots))].sort((a, b) => a - b)) {
    const at = lines.filter((s) => s.shots === shots);
    const gain = at.map((s) => s.leave_one_out.log_likelihood_adapted - s.leave_one_out.log_likelihood_base);
    for (const margin of margins) {
      const keep = gain.map((g) => g < margin);
      const deltas = at.map((s, i) => (keep[i] ? 0 : s.uar_adapted - s.uar_before));
      rows.push({
        shots, margin, speakers: at.length,
        uar_before: mean(at.map((s) => s.uar_before)),
        uar_guarded: mean(at.map((s, i) => s.uar_before + deltas[i])),
        worst_delta: Math.min(...deltas),
        worse: deltas.filter((d) => d < -0.02).length,
        kept_base: keep.filter(Boolean).length,
      });
    }
  }
  return rows;
}

function mean(values) {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function main(args) {
  const option = (name, fallback) => {
    const i = args.indexOf(name);
    if (i < 0) return fallback;
    const value = args[i + 1];
    args.splice(i, 2);
    return value;
  };
  const method = option('--method', 'norm+head2');
  const margins = option('--margins', '-0.3,-0.2,-0.1,0,0.1,0.2,0.4').split(',').map(Number);
  const minTestClips = Number(option('--min-test-clips', '0'));
  if (args.length === 0 || margins.some((m) => !Number.isFinite(m))) {
    console.error('usage: node training/adapt_guards.mjs REPORT.json ... [--method M] [--margins 0,0.1,...] [--min-test-clips N]');
    process.exit(2);
  }
  const reports = args.map((file) => JSON.parse(fs.readFileSync(file, 'utf8')));
  const rows = guardTable(reports, { method, margins, minTestClips });
  if (rows.length === 0) {
    console.error(`no speaker lines of ${method} with leave-one-out evidence (reports from before it was recorded?)`);
    process.exit(1);
  }
  console.log('K  margin  speakers  before  guarded  worst   worse>0.02  kept base');
  for (const r of rows)
    console.log(`${String(r.shots).padEnd(2)} ${r.margin.toFixed(2).padStart(6)}  ${String(r.speakers).padStart(8)}  ` +
      `${r.uar_before.toFixed(3)}  ${r.uar_guarded.toFixed(3).padStart(7)}  ${r.worst_delta.toFixed(2).padStart(5)}  ` +
      `${String(r.worse).padStart(10)}  ${String(r.kept_base).padStart(9)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) main(process.argv.slice(2));

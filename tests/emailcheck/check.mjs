// Prints, for each HTML file given, the caniemail errors (features with no support) in the
// email clients coordinators and participants read: Outlook for Windows (classic and Mail)
// and Gmail's webmail. One JSON line per file: {"file": ..., "errors": ["client: feature"]}.
import { caniemail } from 'caniemail';
import { readFileSync } from 'node:fs';

const clients = ['outlook.windows', 'outlook.windows-mail', 'gmail.desktop-webmail'];

for (const file of process.argv.slice(2)) {
  const result = caniemail({ clients, html: readFileSync(file, 'utf8') });
  const errors = [];
  const byClient = result.issues.errors;
  const entries = byClient instanceof Map ? byClient.entries() : Object.entries(byClient ?? {});
  for (const [client, issues] of entries) {
    for (const issue of issues) {
      errors.push(`${client}: ${issue.title} (line ${issue.position?.start?.line})`);
    }
  }
  console.log(JSON.stringify({ file, errors }));
}

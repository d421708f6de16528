// Writes schemas/*.schema.json from the zod model in engine/src/schema.ts: the newest version as
// nucleus-topology.schema.json, plus one file per version. test/engine/schema.test.ts fails when they are stale.
// Run: node --conditions=source --import tsx scripts/generate-schema.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonSchemaFiles } from '@nucleus-topology/engine';

const dir = join(import.meta.dirname, '..', 'schemas');
mkdirSync(dir, { recursive: true });
for (const [name, content] of Object.entries(jsonSchemaFiles())) {
  writeFileSync(join(dir, name), content);
  console.log(`wrote schemas/${name}`);
}

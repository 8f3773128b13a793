// Test-only worker for tests/support/schematron.ts (SchematronPool): runs the CEN rules over a batch of documents in
// one SaxonJS transform and the Peppol rules one document at a time (see runSchematronBatch for why), and sends the
// SVRL back. Plain JavaScript so it needs no TypeScript loader inside the worker.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const SaxonJS = require('saxon-js');
const cen = JSON.parse(readFileSync(workerData.cen, 'utf8'));
const peppol = JSON.parse(readFileSync(workerData.peppol, 'utf8'));

parentPort.on('message', ({ id, xmls }) => {
  try {
    const t0 = performance.now();
    const docs = xmls.map((x) => SaxonJS.XPath.evaluate('parse-xml($x)', null, { params: { x } }));
    const out = SaxonJS.transform({ stylesheetInternal: cen, initialSelection: docs, destination: 'raw' }, 'sync').principalResult;
    const nodes = Array.isArray(out) ? out : [out];
    if (nodes.length !== xmls.length) throw new Error(`SaxonJS gave ${nodes.length} SVRL reports for ${xmls.length} documents`);
    const cenSvrl = nodes.map((n) => SaxonJS.serialize(n, { method: 'xml' }));
    const cenMs = (performance.now() - t0) / xmls.length;
    const peppolSvrl = [];
    const peppolMs = [];
    for (const x of xmls) {
      const t = performance.now();
      peppolSvrl.push(SaxonJS.transform({ stylesheetInternal: peppol, sourceText: x, destination: 'serialized' }, 'sync').principalResult);
      peppolMs.push(performance.now() - t);
    }
    parentPort.postMessage({ id, cenSvrl, cenMs, peppolSvrl, peppolMs });
  } catch (e) {
    parentPort.postMessage({ id, error: String((e && e.stack) || e) });
  }
});

import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (tests/support/ → ../..). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The official e-invoice samples, copied into tests/fixtures/einvoice-samples (sources and licences in its
 * SOURCES.md and schematron/NOTICE.md). EINVOICE_SAMPLES_DIR overrides.
 */
export const SAMPLES_DIR = process.env.EINVOICE_SAMPLES_DIR ?? resolve(REPO_ROOT, 'tests', 'fixtures', 'einvoice-samples');

export function sampleText(name: string): string {
  return readFileSync(join(SAMPLES_DIR, name), 'utf8');
}

/** Every invoice/credit-note example (PEPPOL-COMMON-R043.xml is a vefa test set, not an invoice). */
export function exampleInvoiceFiles(): string[] {
  return readdirSync(SAMPLES_DIR)
    .filter((f) => f.endsWith('.xml') && f !== 'PEPPOL-COMMON-R043.xml')
    .sort();
}

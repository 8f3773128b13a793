import type { ReactNode } from 'react';
import { OPTION_SECTIONS, type OptionSection, type SetupStep } from '../lib/extension/setup';
import { t, text } from './i18n';

/** The short name in the nav. */
export const sectionTitle = (section: OptionSection) => t.t(`section_${section}`);

/** The heading of each section (the nav's short name where no longer one exists). */
const SECTION_HEADING: Record<OptionSection, string> = {
  connection: 'options_connection',
  dossiers: 'section_dossiers',
  mail: 'mail_settings_title',
  sites: 'sites_settings_title',
  rules: 'engine_rules_title',
  support: 'section_support',
};

/** The guided set-up at the top of the options page: each step done, next or later, with a link to its section. */
export function SetupGuide({ steps, onGo }: { steps: SetupStep[]; onGo: (section: OptionSection, step: SetupStep) => void }) {
  const done = steps.filter((s) => s.state === 'done').length;
  const complete = done === steps.length;
  return (
    <section className="setup" aria-labelledby="setup-title" data-testid="setup" data-complete={complete}>
      <h2 id="setup-title">{t.t('setup_title')}</h2>
      <p className={complete ? 'ok' : 'muted'}>{complete ? t.t('setup_complete') : t.t('setup_progress', [String(done), String(steps.length)])}</p>
      {!complete && (
        <ol>
          {steps.map((step, index) => (
            <li key={step.id} data-step={step.id} data-step-state={step.state} aria-current={step.state === 'next' ? 'step' : undefined}>
              <span className="step-mark" aria-hidden="true">
                {step.state === 'done' ? '✓' : index + 1}
              </span>
              <span>
                <span className="step-title">
                  <span className="visually-hidden">{t.t(`setup_state_${step.state}`)}: </span>
                  {t.t(`setup_step_${step.id}`)}
                </span>
                <span className="muted">{text(step.text)}</span>{' '}
                {step.state === 'next' && (
                  <a
                    href={`#${step.section}`}
                    onClick={(event) => {
                      event.preventDefault();
                      onGo(step.section, step);
                    }}
                  >
                    {t.t('setup_go')}
                  </a>
                )}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** Links to the sections; each is also an address a firm's support can send (options.html#sites). */
export function SectionNav({ current, onGo }: { current?: OptionSection; onGo: (section: OptionSection) => void }) {
  return (
    <nav className="section-nav" aria-label={t.t('options_sections')}>
      <ol>
        {OPTION_SECTIONS.map((section) => (
          <li key={section}>
            <a
              href={`#${section}`}
              aria-current={current === section ? 'true' : undefined}
              onClick={(event) => {
                event.preventDefault();
                onGo(section);
              }}
            >
              {sectionTitle(section)}
            </a>
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** One section of the options page, folded by its summary; its id is the anchor. */
export function OptionsSection(props: { id: OptionSection; open: boolean; onToggle: (open: boolean) => void; note?: string; children: ReactNode }) {
  return (
    <details
      id={props.id}
      className="options-section"
      open={props.open}
      onToggle={(event) => {
        const open = (event.currentTarget as HTMLDetailsElement).open;
        if (open !== props.open) props.onToggle(open);
      }}
    >
      <summary>
        <h2>{t.t(SECTION_HEADING[props.id])}</h2>
        {props.note && <span className="muted"> · {props.note}</span>}
      </summary>
      <div className="section-body">{props.children}</div>
    </details>
  );
}

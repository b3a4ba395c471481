import { BUCKETS, SCALES, type Metric, type ScoreBucket } from '@cxkit/protocol';
import { useState } from 'preact/hooks';
import { getAt } from './draft';
import { FilterRows, MomentField, NumberField, SelectField, TextField, type FormProps } from './FormFields';

// The survey form, a section per question a product team asks: what, in which words, when, to
// whom, how it looks. Every field of docs/surveys.md has its control here.

const METRIC_OPTIONS: [Metric, string][] = [
  ['nps', 'NPS: how likely to recommend, 0–10'],
  ['csat', 'CSAT: how satisfied, 1–5'],
  ['ces', 'CES: how easy, 1–7 or 1–5'],
];

export function WhatFields(props: FormProps & { creating: boolean }) {
  const { draft, set, creating } = props;
  const metric = draft.metric as Metric | undefined;
  return (
    <fieldset>
      <legend>What to ask</legend>
      <TextField {...props} path="id" label="Id" hint="Letters, digits, - _ . — how the app and the API name it; fixed once created." disabled={!creating} />
      <TextField {...props} path="name" label="Name" hint="Shown on the dashboard only." />
      <SelectField
        {...props}
        path="metric"
        label="Metric"
        options={METRIC_OPTIONS}
        set={(path, value) => {
          set(path, value);
          // A scale or style of another metric would be refused; the new metric starts on its default.
          set('scaleMax', undefined);
          if (value !== 'csat') set('scaleStyle', undefined);
        }}
      />
      {metric === 'ces' && (
        <SelectField
          {...props}
          path="scaleMax"
          label="Scale"
          options={SCALES.ces.maxima.map((max, index) => [String(max), `1–${max}${index === 0 ? ' (default)' : ''}`])}
        />
      )}
      {metric === 'csat' && (
        <SelectField {...props} path="scaleStyle" label="Style" options={[['faces', 'Faces']]} empty="Numbers (default)" />
      )}
      <div class="field check">
        <input
          id="survey-comment"
          type="checkbox"
          checked={draft.comment !== false}
          onChange={(e) => set('comment', e.currentTarget.checked ? undefined : false)}
        />
        <label for="survey-comment">Ask for a comment after the score</label>
      </div>
      {creating && <SelectField {...props} path="status" label="Status" options={[['paused', 'Paused: saved, not shown yet']]} empty="Active: shown from now on" />}
    </fieldset>
  );
}

const TEXT_FIELDS: [key: string, label: string, long?: boolean][] = [
  ['question', 'Question', true],
  ['lowLabel', 'Label of the lowest score'],
  ['highLabel', 'Label of the highest score'],
  ['commentPlaceholder', 'Comment box placeholder'],
  ['thanks', 'Thank-you message'],
  ['send', 'Send button'],
  ['later', '“Remind me later” link'],
  ['never', '“Don’t ask again” link'],
  ['close', 'Close button'],
];

/** Texts per locale (render it keyed by the locale); left empty, the widget's own translation is shown. */
export function TextsFields(props: FormProps & { locale: string }) {
  const { draft, set, locale } = props;
  const at = `texts.${locale}`;
  const followUp = getAt(draft, `${at}.followUp`) as string | Partial<Record<ScoreBucket, string>> | undefined;
  const [perBucket, setPerBucket] = useState(typeof followUp === 'object');
  const choosePerBucket = (next: boolean) => {
    setPerBucket(next);
    // The text written so far stays: for every kind of score, or as the one question.
    if (next && typeof followUp === 'string') for (const bucket of BUCKETS) set(`${at}.followUp.${bucket}`, followUp);
    if (!next && typeof followUp === 'object') set(`${at}.followUp`, BUCKETS.map((bucket) => followUp[bucket]).find(Boolean));
  };
  return (
    <fieldset>
      <legend>Words, in {locale}</legend>
      <p class="hint">Left empty, a text is the widget’s own in this language; a language with no texts here gets the English ones.</p>
      {TEXT_FIELDS.slice(0, 3).map(([key, label, long]) => (
        <TextField {...props} path={`${at}.${key}`} label={label} long={long} />
      ))}
      <div class="field">
        <span class="label">Follow-up question</span>
        <div class="choices" role="radiogroup" aria-label="Follow-up question">
          <label>
            <input type="radio" name="follow-up" checked={!perBucket} onChange={() => choosePerBucket(false)} /> one for every score
          </label>
          <label>
            <input type="radio" name="follow-up" checked={perBucket} onChange={() => choosePerBucket(true)} /> one per kind of score
          </label>
        </div>
      </div>
      {perBucket ? (
        BUCKETS.map((bucket) => <TextField {...props} path={`${at}.followUp.${bucket}`} label={`Follow-up after a ${bucket} score`} long />)
      ) : (
        <TextField {...props} path={`${at}.followUp`} label="Follow-up after any score" long />
      )}
      {TEXT_FIELDS.slice(3).map(([key, label, long]) => (
        <TextField {...props} path={`${at}.${key}`} label={label} long={long} />
      ))}
    </fieldset>
  );
}

export type TriggerKind = 'event' | 'url' | 'manual';

export const triggerKindOf = (draft: FormProps['draft']): TriggerKind =>
  getAt(draft, 'trigger.url') !== undefined && getAt(draft, 'trigger.event') === undefined ? 'url' : getAt(draft, 'trigger') !== undefined ? 'event' : 'manual';

export function WhenFields(props: FormProps & { kind: TriggerKind; onKind: (kind: TriggerKind) => void }) {
  const { kind, onKind, set, issues } = props;
  const choose = (next: TriggerKind) => {
    onKind(next);
    if (next === 'manual') set('trigger', undefined);
    if (next === 'event') set('trigger.url', undefined);
    if (next === 'url') {
      set('trigger.event', undefined);
      set('trigger.where', undefined);
    }
  };
  const said = issues.filter((issue) => issue.path === 'trigger');
  return (
    <fieldset>
      <legend>When it appears</legend>
      <div class="choices" role="radiogroup" aria-label="Trigger">
        {(
          [
            ['event', 'After an event the app tracks'],
            ['url', 'On pages whose address matches'],
            ['manual', 'Only when the app calls showSurvey()'],
          ] as const
        ).map(([value, label]) => (
          <label>
            <input type="radio" name="trigger-kind" checked={kind === value} onChange={() => choose(value)} /> {label}
          </label>
        ))}
      </div>
      {said.length > 0 && <p class="field-issue">{said.map((issue) => issue.message).join('; ')}</p>}
      {kind === 'event' && (
        <>
          <TextField {...props} path="trigger.event" label="Event" placeholder="checkout_completed" hint="The name passed to cxkit.track()." />
          <FilterRows {...props} path="trigger.where" label="Only when the event’s properties match" keyLabel="Property" />
        </>
      )}
      {kind === 'url' && <TextField {...props} path="trigger.url" label="Address pattern" placeholder="/settings*" hint="* matches any run of characters." />}
      <NumberField {...props} path="delaySeconds" label="Delay after the trigger (seconds)" min={0} max={3600} />
    </fieldset>
  );
}

export function WhoFields(props: FormProps) {
  return (
    <fieldset>
      <legend>To whom, how often</legend>
      <NumberField {...props} path="sampleRate" label="Share of users (0–1)" min={0} max={1} step={0.01} hint="1 is everyone, 0.1 one user in ten, the same ones on every visit." />
      <NumberField {...props} path="recontactDays" label="Not again to a user for (days)" min={0} max={3650} hint="Empty: never again once shown." />
      <NumberField {...props} path="maxDisplays" label="At most this many times to a user" min={1} max={1000} />
      <MomentField {...props} path="startsAt" label="Starts" hint="Empty: from now. In this browser's time zone." />
      <MomentField {...props} path="endsAt" label="Ends" hint="Empty: no end." />
      <NumberField {...props} path="maxResponses" label="Stop after this many responses" min={1} max={10_000_000} />
      <FilterRows {...props} path="audience.traits" label="Only users whose traits match" keyLabel="Trait" />
      <FilterRows {...props} path="audience.account" label="Only users of accounts whose traits match" keyLabel="Account trait" />
      <NumberField {...props} path="audience.minDaysSinceFirstSeen" label="First seen at least (days ago)" min={0} max={3650} />
      <NumberField {...props} path="audience.maxDaysSinceFirstSeen" label="First seen at most (days ago)" min={0} max={3650} />
    </fieldset>
  );
}

export function LookFields(props: FormProps) {
  return (
    <fieldset>
      <legend>How it looks</legend>
      <SelectField
        {...props}
        path="placement"
        label="Placement"
        empty="Bottom right (default)"
        options={[
          ['bottom-left', 'Bottom left'],
          ['top-right', 'Top right'],
          ['top-left', 'Top left'],
          ['center', 'Centre, as a dialog'],
          ['inline', 'Inside an element of the page'],
        ]}
      />
      {props.draft.placement === 'inline' && (
        <TextField {...props} path="target" label="Element (CSS selector)" placeholder="#feedback" hint="The prompt renders inside the first element it matches." />
      )}
      <SelectField
        {...props}
        path="theme"
        label="Theme"
        empty="The app’s (init option, else auto)"
        options={[
          ['auto', 'Auto: follows the system'],
          ['light', 'Light'],
          ['dark', 'Dark'],
        ]}
      />
    </fieldset>
  );
}

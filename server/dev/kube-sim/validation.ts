import { stableStringify } from './json.ts';
import type { KubeObject } from './objects.ts';
import type { ResourceType } from './resources.ts';
import { type LabelSelectorSpec, matchesLabels, requirementsOf } from './selectors.ts';
import { badRequest, type StatusCause } from './status.ts';

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const MICRO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}(Z|[+-]\d{2}:\d{2})$/;

/** The most a Secret's or ConfigMap's data may hold, as the API server enforces. */
export const MAX_DATA_BYTES = 1024 * 1024;
const MAX_ANNOTATION_BYTES = 256 * 1024;

// The texts below are the API server's own, so clients and tests see familiar messages.
const NAME_RULES = {
  subdomain: {
    re: SUBDOMAIN,
    max: 253,
    text: "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  },
  label: {
    re: LABEL_1123,
    max: 63,
    text: "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  },
  label1035: {
    re: LABEL_1035,
    max: 63,
    text: "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
  },
  path: {
    re: /^(?!\.\.?$)[^/%]+$/,
    max: 253,
    text: "may not be '.' or '..' and may not contain '/' or '%'",
  },
} as const;

function invalidValue(field: string, value: unknown, text: string): StatusCause {
  return { reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(value)}: ${text}`, field };
}

function required(field: string, text = ''): StatusCause {
  return {
    reason: 'FieldValueRequired',
    message: text ? `Required value: ${text}` : 'Required value',
    field,
  };
}

function tooLong(field: string, max: number): StatusCause {
  return { reason: 'FieldValueTooLong', message: `Too long: must have at most ${max} bytes`, field };
}

function checkName(rule: keyof typeof NAME_RULES, field: string, name: string): StatusCause[] {
  const r = NAME_RULES[rule];
  if (name.length > r.max) return [invalidValue(field, name, `must be no more than ${r.max} characters`)];
  return r.re.test(name) ? [] : [invalidValue(field, name, r.text)];
}

function checkLabels(labels: Record<string, string> | undefined): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    const slash = key.lastIndexOf('/');
    const prefix = slash >= 0 ? key.slice(0, slash) : '';
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    if ((slash >= 0 && !SUBDOMAIN.test(prefix)) || name.length > 63 || !QUALIFIED_NAME.test(name)) {
      causes.push(
        invalidValue(
          'metadata.labels',
          key,
          "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        ),
      );
    }
    if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) {
      causes.push(
        invalidValue(
          'metadata.labels',
          value,
          "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        ),
      );
    }
  }
  return causes;
}

function checkDataKeys(field: string, data: unknown): StatusCause[] {
  if (data === undefined || data === null) return [];
  const causes: StatusCause[] = [];
  for (const key of Object.keys(data as object)) {
    if (key.length > 253 || !CONFIG_KEY.test(key)) {
      causes.push(
        invalidValue(
          `${field}[${key}]`,
          key,
          "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
        ),
      );
    }
  }
  return causes;
}

function dataBytes(data: unknown, base64: boolean): number {
  let total = 0;
  for (const v of Object.values((data ?? {}) as Record<string, unknown>)) {
    const s = typeof v === 'string' ? v : '';
    total += base64 ? Buffer.from(s, 'base64').length : Buffer.byteLength(s);
  }
  return total;
}

interface PodSpecLike {
  containers?: { name?: string; image?: string }[];
}

function checkPodSpec(field: string, spec: PodSpecLike | undefined, needImage: boolean): StatusCause[] {
  const containers = spec?.containers;
  if (!Array.isArray(containers) || containers.length === 0) return [required(`${field}.containers`)];
  const causes: StatusCause[] = [];
  containers.forEach((c, i) => {
    const f = `${field}.containers[${i}]`;
    if (!c?.name) causes.push(required(`${f}.name`));
    else causes.push(...checkName('label', `${f}.name`, c.name));
    if (needImage && !c?.image) causes.push(required(`${f}.image`));
  });
  return causes;
}

interface WorkloadSpec {
  replicas?: number;
  selector?: LabelSelectorSpec;
  template?: { metadata?: { labels?: Record<string, string> }; spec?: PodSpecLike };
}

function checkDeployment(spec: WorkloadSpec | undefined): StatusCause[] {
  const causes: StatusCause[] = [];
  if (typeof spec?.replicas === 'number' && spec.replicas < 0) {
    causes.push(invalidValue('spec.replicas', spec.replicas, 'must be greater than or equal to 0'));
  }
  const selector = requirementsOf(spec?.selector);
  if (!spec?.selector || selector.length === 0) causes.push(required('spec.selector'));
  else if (!matchesLabels(selector, spec.template?.metadata?.labels)) {
    causes.push(
      invalidValue(
        'spec.template.metadata.labels',
        spec.template?.metadata?.labels ?? {},
        '`selector` does not match template `labels`',
      ),
    );
  }
  causes.push(...checkPodSpec('spec.template.spec', spec?.template?.spec, true));
  return causes;
}

/**
 * Field validation a real API server applies to a new or updated object of our kinds.
 * @returns the causes of a 422 Invalid; empty when the object is acceptable.
 */
export function validateObject(rt: ResourceType, obj: KubeObject): StatusCause[] {
  const meta = obj.metadata;
  const causes: StatusCause[] = [];
  if (!meta.name) causes.push(required('metadata.name', 'name or generateName is required'));
  else causes.push(...checkName(rt.nameRule, 'metadata.name', meta.name));
  causes.push(...checkLabels(meta.labels));
  const annotationBytes = Object.entries(meta.annotations ?? {}).reduce(
    (n, [k, v]) => n + k.length + String(v).length,
    0,
  );
  if (annotationBytes > MAX_ANNOTATION_BYTES)
    causes.push(tooLong('metadata.annotations', MAX_ANNOTATION_BYTES));
  const spec = obj.spec as Record<string, unknown> | undefined;
  switch (rt.kind) {
    case 'Secret':
      causes.push(...checkDataKeys('data', obj.data));
      if (dataBytes(obj.data, true) > MAX_DATA_BYTES) causes.push(tooLong('data', MAX_DATA_BYTES));
      break;
    case 'ConfigMap':
      causes.push(...checkDataKeys('data', obj.data), ...checkDataKeys('binaryData', obj.binaryData));
      if (dataBytes(obj.data, false) + dataBytes(obj.binaryData, true) > MAX_DATA_BYTES) {
        causes.push(tooLong('[]', MAX_DATA_BYTES));
      }
      break;
    case 'Pod':
      causes.push(...checkPodSpec('spec', spec as PodSpecLike, true));
      break;
    case 'Deployment':
      causes.push(...checkDeployment(spec as WorkloadSpec));
      break;
    case 'Job':
      causes.push(
        ...checkPodSpec('spec.template.spec', (spec as WorkloadSpec | undefined)?.template?.spec, true),
      );
      break;
  }
  return causes;
}

/** Immutability rules the API server checks on update. */
export function validateUpdate(rt: ResourceType, old: KubeObject, next: KubeObject): StatusCause[] {
  const same = (a: unknown, b: unknown) => stableStringify(a ?? null) === stableStringify(b ?? null);
  const causes: StatusCause[] = [];
  if ((rt.kind === 'Secret' || rt.kind === 'ConfigMap') && old.immutable === true) {
    if (!same(old.data, next.data)) {
      causes.push({
        reason: 'FieldValueForbidden',
        message: 'Forbidden: field is immutable when `immutable` is set',
        field: 'data',
      });
    }
    if (next.immutable !== true) {
      causes.push({
        reason: 'FieldValueForbidden',
        message: 'Forbidden: field is immutable when `immutable` is set',
        field: 'immutable',
      });
    }
  }
  if (rt.kind === 'Secret' && old.type && !same(old.type, next.type)) {
    causes.push(invalidValue('type', next.type, 'field is immutable'));
  }
  if (rt.kind === 'Deployment') {
    const a = (old.spec as WorkloadSpec | undefined)?.selector;
    const b = (next.spec as WorkloadSpec | undefined)?.selector;
    if (!same(a, b)) causes.push(invalidValue('spec.selector', b, 'field is immutable'));
  }
  return causes;
}

/**
 * Checks what the API server checks while decoding, before validation: base64 Secret data and
 * microsecond timestamps on Leases. A `Date` serialised by JSON has milliseconds, which the real
 * server refuses; clients must send `V1MicroTime`.
 * @throws StatusError 400 BadRequest.
 */
export function checkDecodable(rt: ResourceType, obj: KubeObject): void {
  const cannot = (why: string) =>
    badRequest(`${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: ${why}`);
  if (rt.kind === 'Secret') {
    for (const v of Object.values((obj.data ?? {}) as Record<string, unknown>)) {
      if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v) || v.length % 4 !== 0) {
        throw cannot('illegal base64 data at input byte 0');
      }
    }
  }
  if (rt.kind === 'Lease') {
    const spec = (obj.spec ?? {}) as Record<string, unknown>;
    for (const field of ['acquireTime', 'renewTime']) {
      const v = spec[field];
      if (v !== undefined && v !== null && (typeof v !== 'string' || !MICRO_TIME.test(v))) {
        throw cannot(
          `parsing time ${JSON.stringify(v)} as "2006-01-02T15:04:05.000000Z07:00": cannot parse as RFC3339Micro`,
        );
      }
    }
  }
}

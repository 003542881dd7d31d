import { invalid } from '../core/validation';

/** A Go duration as cert-manager parses it (`time.ParseDuration`), restricted to h/m/s units, e.g. `2160h`. */
const GO_DURATION = /^([0-9]+(\.[0-9]+)?(h|m|s))+$/;

/** Validates a positive Go duration string (cert-manager `duration`/`renewBefore`). */
export function checkGoDuration(field: string, value: string): string {
  if (typeof value !== 'string' || !GO_DURATION.test(value) || !/[1-9]/.test(value)) {
    invalid(field, value, 'is not a positive Go duration', 'use hours, minutes or seconds such as "8760h" or "720h"');
  }
  return value;
}

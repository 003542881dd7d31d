import type { EngineRequest } from './engine';

/**
 * Requests that find where a regex match limit (`SecPcreMatchLimit`) bites on CRS 4.22 at paranoia level 1, found on
 * the real engine (libmodsecurity 3.0.14): kept as data so a reviewer can add shapes. `detectedBy` is the CRS rule
 * that matches the request when no limit is in the way.
 */
export interface RegexLimitInput {
  readonly id: string;
  readonly title: string;
  readonly request: Omit<EngineRequest, 'marker'>;
  /** The CRS rule that catches the attack at a high enough limit; undefined for benign inputs. */
  readonly detectedBy?: string;
}

const words = (phrase: string, times: number): string => encodeURIComponent(phrase.repeat(times).trim());

export const REGEX_LIMIT_INPUTS = {
  /** Bash reads a file by command substitution; the tail of plain words makes 932130's regex backtrack past 1000. */
  longShellSubstitution: {
    id: 'limit-shell-substitution-json',
    title: '$(< x) then 1.5 KB of words in a JSON value',
    request: {
      method: 'POST',
      path: '/api/notes',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ note: `$(< x) ${'hello world, '.repeat(115)}` }),
    },
    detectedBy: '932130',
  },
  /** The same shape with an arithmetic expansion. */
  longArithmeticExpansion: {
    id: 'limit-arithmetic-expansion-form',
    title: 'x=$((7*7)) then 1.5 KB of words in a form field',
    request: {
      method: 'POST',
      path: '/api/notes',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `v=${encodeURIComponent(`x=$((7*7)) ${'hello world, '.repeat(115)}`)}`,
    },
    detectedBy: '932130',
  },
  /** A search for a long list of ordinary words (a 640-byte query string): 920100 runs on the request line in phase 1. */
  longSearch: {
    id: 'limit-benign-search-640',
    title: 'search with a 640-byte query of ordinary words',
    request: { method: 'GET', path: `/search?q=${words('hospital ward cardiology appointment ', 17)}` },
  },
  /** Close to the longest request line the controller accepts (8 KiB header buffers): still under the default limit. */
  longestSearch: {
    id: 'limit-benign-search-6k',
    title: 'search with a 6 KB query of ordinary words',
    request: { method: 'GET', path: `/search?q=${words('hospital ward cardiology appointment ', 160)}` },
  },
} as const satisfies Record<string, RegexLimitInput>;

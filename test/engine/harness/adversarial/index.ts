import { HEADER_RULES_TABLE } from './header-rules';
import { HOST_SCOPE_TABLE } from './host-scope';
import { IP_RULES_TABLE } from './ip-rules';
import { MTLS_TABLE } from './mtls';
import { PATH_SCOPE_TABLE } from './path-scope';
import type { AdversarialTable } from './types';

/**
 * Every adversarial table, one per mechanism. To add a mechanism: a new table file (see ./types.ts) and one line here.
 */
export const ADVERSARIAL_TABLES: readonly AdversarialTable[] = [
  MTLS_TABLE,
  HOST_SCOPE_TABLE,
  PATH_SCOPE_TABLE,
  HEADER_RULES_TABLE,
  IP_RULES_TABLE,
];

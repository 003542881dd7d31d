import { checkDnsLabel } from '../core/validation';
import { checkCommonName } from './subject-allow-list';

/** A client known to a client CA: a Kubernetes-safe name and the common name its certificate carries. */
export interface ClientIdentity {
  /** Name of the client (a DNS label; names its Certificate and Secret in managed mode). */
  readonly name: string;
  /**
   * Common name (CN) of the client's certificate subject.
   * @default the client name
   */
  readonly commonName?: string;
}

/**
 * A client certificate authority an {@link MtlsIngress} trusts. Implementations publish the CA certificate (never
 * its key) as a Secret with key `ca.crt` (and optionally `ca.crl`) in every namespace that asks for it.
 */
export interface IClientCa {
  /** Name of the CA; also the name of the CA-only Secret in each trusting namespace. */
  readonly caName: string;
  /**
   * Makes the CA certificate available in `namespace` as Secret `<caName>` (keys `ca.crt`, optional `ca.crl`, no
   * private key) and returns the Secret name. Idempotent.
   */
  trustIn(namespace: string): string;
  /** The clients this CA issues to (or, for a provided CA, that the operator declared), by name. */
  knownClients(): ReadonlyMap<string, ClientIdentity & { readonly commonName: string }>;
}

/** Validates a client identity and fills in its common name. */
export function normalizeClient(
  field: string,
  client: ClientIdentity,
): ClientIdentity & { readonly commonName: string } {
  checkDnsLabel(`${field}.name`, client.name);
  const commonName = checkCommonName(`${field}.commonName`, client.commonName ?? client.name);
  return { name: client.name, commonName };
}

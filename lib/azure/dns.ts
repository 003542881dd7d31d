import { Construct } from 'constructs';
import { DnsZone } from '@cdktf/provider-azurerm/lib/dns-zone';
import { DnsARecord } from '@cdktf/provider-azurerm/lib/dns-a-record';
import { checkHostname, checkIntegerInRange, checkUnique, PropsValidator, propsValidator } from '../core/validation';

/** One A record: `name` relative to the zone (`@` for the apex). */
export interface IngressDnsRecord {
  /** Fully qualified host, e.g. `echo.example.com`. */
  readonly host: string;
  /** Record name relative to the zone, e.g. `echo`, or `@`. */
  readonly name: string;
}

/** Props of {@link IngressDns}. */
export interface IngressDnsProps {
  /** Zone name, e.g. `example.com`. */
  readonly zoneName: string;
  /** Resource group of the zone. */
  readonly resourceGroupName: string;
  /** Records pointing at the ingress IP. */
  readonly records: readonly IngressDnsRecord[];
  /** The ingress IP address. */
  readonly ipAddress: string;
  /** TTL of the A records. */
  readonly ttlSeconds: number;
  /** Tags of the zone and records. */
  readonly tags: Readonly<Record<string, string>>;
}

/** A public DNS zone with one A record per ingress host, all pointing at the static ingress IP. */
export class IngressDns extends Construct {
  /** The zone; delegate the domain to its `nameServers`. */
  public readonly zone: DnsZone;
  private readonly records = new Map<string, DnsARecord>();

  constructor(scope: Construct, id: string, props: IngressDnsProps) {
    super(scope, id);
    const v: PropsValidator = propsValidator(this, 'IngressDns');
    v.check(() => checkHostname('zoneName', props.zoneName));
    v.check(() => checkIntegerInRange('ttlSeconds', props.ttlSeconds, 1, 2147483647));
    v.check(() => checkUnique('records', props.records, (r) => r.name));
    props.records.forEach((r, i) => {
      if (r.name !== '@' && !/^(\*|[a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(r.name)) {
        v.invalid(
          `records[${i}].name`,
          r.name,
          'is not a record name relative to the zone',
          'use e.g. "echo", "*.apps" or "@" for the apex',
        );
      }
    });
    this.zone = new DnsZone(this, 'zone', {
      name: props.zoneName,
      resourceGroupName: props.resourceGroupName,
      tags: { ...props.tags },
    });
    for (const record of props.records) {
      this.records.set(
        record.host,
        new DnsARecord(this, `a-${record.name === '@' ? 'apex' : record.name}`, {
          name: record.name,
          zoneName: this.zone.name,
          resourceGroupName: props.resourceGroupName,
          ttl: props.ttlSeconds,
          records: [props.ipAddress],
          tags: { ...props.tags },
        }),
      );
    }
  }

  /** The A record of `host`, if the zone has one. */
  public recordFor(host: string): DnsARecord | undefined {
    return this.records.get(host);
  }
}

/**
 * Azure region names (`az account list-locations --query "[].name"`), public cloud plus Azure Government and
 * Azure China. The list is a typo guard: `AksStackProps.knownRegionsOnly: false` accepts any well-formed name
 * (e.g. a region opened after this list was written).
 */
export const AZURE_REGIONS: readonly string[] = [
  'australiacentral', 'australiacentral2', 'australiaeast', 'australiasoutheast', 'austriaeast',
  'belgiumcentral', 'brazilsouth', 'brazilsoutheast', 'canadacentral', 'canadaeast', 'centralindia', 'centralus',
  'centraluseuap', 'chilecentral', 'denmarkeast', 'eastasia', 'eastus', 'eastus2', 'eastus2euap', 'francecentral',
  'francesouth', 'germanynorth', 'germanywestcentral', 'indonesiacentral', 'israelcentral', 'italynorth',
  'japaneast', 'japanwest', 'jioindiacentral', 'jioindiawest', 'koreacentral', 'koreasouth', 'malaysiawest',
  'mexicocentral', 'newzealandnorth', 'northcentralus', 'northeurope', 'norwayeast', 'norwaywest',
  'polandcentral', 'qatarcentral', 'southafricanorth', 'southafricawest', 'southcentralus', 'southeastasia',
  'southindia', 'spaincentral', 'swedencentral', 'swedensouth', 'switzerlandnorth', 'switzerlandwest',
  'uaecentral', 'uaenorth', 'uksouth', 'ukwest', 'westcentralus', 'westeurope', 'westindia', 'westus', 'westus2',
  'westus3',
  'usgovarizona', 'usgovtexas', 'usgovvirginia', 'usdodcentral', 'usdodeast',
  'chinaeast', 'chinaeast2', 'chinaeast3', 'chinanorth', 'chinanorth2', 'chinanorth3',
];

/** Turns a display name ("West Europe", "west-europe") into the programmatic form ("westeurope"). */
export function normalizeRegion(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * A typed subset of the Grafana dashboard JSON model (schemaVersion 39, Grafana 10/11/12): rows, time series, stat
 * and table panels over a Prometheus and (optionally) a Loki data source chosen by dashboard variables. Panels are
 * laid out automatically on Grafana's 24-column grid.
 */
import { invalid } from '../../core/validation';

/** Which data source a panel queries: the dashboard's Prometheus (`$datasource`) or Loki (`$logs`) variable. */
export type PanelSource = 'metrics' | 'logs';

/** Grafana unit ids used by this library. */
export type PanelUnit = 'reqps' | 's' | 'short' | 'percentunit' | 'dtdurations' | 'none';

/** One query of a panel. */
export interface PanelQuery {
  /** PromQL (metrics panels) or LogQL (logs panels). */
  readonly expr: string;
  /**
   * Legend template such as `{{host}}`.
   * @default - Grafana's default (the series labels)
   */
  readonly legend?: string;
  /**
   * Instant query (one value per series, for stat and table panels).
   * @default false
   */
  readonly instant?: boolean;
}

/** A panel to add to a {@link GrafanaDashboardModel}. */
export interface PanelSpec {
  /** Panel title shown in its header; also names the panel in validation errors. */
  readonly title: string;
  /** Shown in the panel's info tooltip: what the panel shows and how to read it. */
  readonly description: string;
  /** Grafana panel type: `timeseries` (graph over time), `stat` (one big value per series) or `table`. */
  readonly kind: 'timeseries' | 'stat' | 'table';
  /** Data source the queries run on: `metrics` (Prometheus) or `logs` (Loki; the dashboard must set `logs: true`). */
  readonly source: PanelSource;
  /** The panel's queries (at least one), lettered A, B, C... in order. */
  readonly queries: readonly PanelQuery[];
  /**
   * Unit of the values.
   * @default 'short'
   */
  readonly unit?: PanelUnit;
  /**
   * Width in grid columns (1-24).
   * @default 12
   */
  readonly width?: number;
  /**
   * Height in grid rows.
   * @default 8
   */
  readonly height?: number;
  /**
   * Stack the series of a time series panel.
   * @default false
   */
  readonly stacked?: boolean;
}

/** Props of a {@link GrafanaDashboardModel}. */
export interface GrafanaDashboardModelProps {
  /** Stable dashboard uid (at most 40 characters): links and provisioning refer to it. */
  readonly uid: string;
  /** Dashboard title shown in Grafana's dashboard list; must not be blank. */
  readonly title: string;
  /** Dashboard description (shown in the dashboard settings and search). */
  readonly description: string;
  /**
   * Dashboard tags.
   * @default []
   */
  readonly tags?: readonly string[];
  /**
   * Offer a Loki data source variable for log panels.
   * @default false
   */
  readonly logs?: boolean;
  /**
   * Extra query variables over the Prometheus data source: name → PromQL `label_values(...)` query; multi-select with
   * "All".
   * @default {}
   */
  readonly variables?: Readonly<Record<string, string>>;
}

const GRID_COLUMNS = 24;

/** Builds a Grafana dashboard JSON document from typed panels. */
export class GrafanaDashboardModel {
  private readonly props: GrafanaDashboardModelProps;
  private readonly panels: Record<string, unknown>[] = [];
  private nextId = 1;
  private x = 0;
  private y = 0;
  private lineHeight = 0;

  constructor(props: GrafanaDashboardModelProps) {
    if (!/^[a-zA-Z0-9_-]{1,40}$/.test(props.uid))
      invalid(
        'dashboard.uid',
        props.uid,
        'is not a Grafana dashboard uid',
        'use at most 40 letters, digits, "-" or "_"',
      );
    if (!props.title.trim()) invalid('dashboard.title', props.title, 'is empty', 'give the dashboard a title');
    for (const name of Object.keys(props.variables ?? {})) {
      if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name) || name === 'datasource' || name === 'logs')
        invalid(
          `dashboard.variables.${name}`,
          name,
          'is not a usable variable name',
          'use letters, digits and "_" (datasource and logs are taken)',
        );
    }
    this.props = props;
  }

  /** Starts a new row (a full-width collapsible header) below the panels so far. */
  public addRow(title: string): void {
    this.newLine();
    this.panels.push({
      id: this.nextId++,
      type: 'row',
      title,
      collapsed: false,
      gridPos: { h: 1, w: GRID_COLUMNS, x: 0, y: this.y },
      panels: [],
    });
    this.y += 1;
  }

  /** Adds a panel to the right of the previous one, wrapping to a new line when the row is full. */
  public addPanel(spec: PanelSpec): void {
    const width = spec.width ?? 12;
    const height = spec.height ?? 8;
    if (!Number.isInteger(width) || width < 1 || width > GRID_COLUMNS)
      invalid(
        `dashboard.panels["${spec.title}"].width`,
        width,
        `is not a whole number from 1 to ${GRID_COLUMNS}`,
        'use a width in grid columns, e.g. 12 for half the dashboard',
      );
    if (!Number.isInteger(height) || height < 2 || height > 40)
      invalid(
        `dashboard.panels["${spec.title}"].height`,
        height,
        'is not a whole number from 2 to 40',
        'use a height in grid rows, e.g. 8',
      );
    if (spec.queries.length === 0)
      invalid(
        `dashboard.panels["${spec.title}"].queries`,
        spec.queries,
        'is empty',
        'give the panel at least one query',
      );
    if (spec.source === 'logs' && !this.props.logs)
      invalid(
        `dashboard.panels["${spec.title}"].source`,
        spec.source,
        'needs the Loki data source variable, which this dashboard does not offer',
        'set logs: true on the dashboard or use a metrics panel',
      );
    if (this.x + width > GRID_COLUMNS) this.newLine();
    const datasource = this.datasource(spec.source);
    this.panels.push({
      id: this.nextId++,
      type: spec.kind,
      title: spec.title,
      description: spec.description,
      datasource,
      gridPos: { h: height, w: width, x: this.x, y: this.y },
      targets: spec.queries.map((q, i) => ({
        refId: String.fromCharCode(65 + i),
        datasource,
        expr: q.expr,
        ...(q.legend ? { legendFormat: q.legend } : {}),
        ...(spec.source === 'logs'
          ? { queryType: q.instant ? 'instant' : 'range' }
          : { range: !q.instant, instant: q.instant ?? false }),
        ...(spec.kind === 'table' ? { format: 'table' } : {}),
      })),
      fieldConfig: {
        defaults: {
          unit: spec.unit ?? 'short',
          ...(spec.kind === 'timeseries'
            ? {
                custom: {
                  stacking: { mode: spec.stacked ? 'normal' : 'none', group: 'A' },
                  fillOpacity: spec.stacked ? 30 : 10,
                  lineWidth: 1,
                  showPoints: 'never',
                },
              }
            : {}),
        },
        overrides: [],
      },
      options: optionsFor(spec),
      ...(spec.kind === 'table'
        ? {
            transformations: [
              { id: 'merge', options: {} },
              { id: 'organize', options: { excludeByName: { Time: true } } },
            ],
          }
        : {}),
    });
    this.x += width;
    this.lineHeight = Math.max(this.lineHeight, height);
  }

  /** The dashboard JSON document. */
  public toJson(): Record<string, unknown> {
    const prometheus = { type: 'prometheus', uid: '${datasource}' };
    const variables: Record<string, unknown>[] = [
      {
        name: 'datasource',
        label: 'Prometheus',
        type: 'datasource',
        query: 'prometheus',
        current: {},
        hide: 0,
        refresh: 1,
        regex: '',
        options: [],
      },
    ];
    if (this.props.logs)
      variables.push({
        name: 'logs',
        label: 'Loki',
        type: 'datasource',
        query: 'loki',
        current: {},
        hide: 0,
        refresh: 1,
        regex: '',
        options: [],
      });
    for (const [name, query] of Object.entries(this.props.variables ?? {})) {
      variables.push({
        name,
        label: name,
        type: 'query',
        datasource: prometheus,
        definition: query,
        query: { query, refId: `${name}-variable` },
        refresh: 2,
        includeAll: true,
        multi: true,
        allValue: '.*',
        current: { selected: true, text: ['All'], value: ['$__all'] },
        sort: 1,
        hide: 0,
        options: [],
        regex: '',
      });
    }
    return {
      uid: this.props.uid,
      title: this.props.title,
      description: this.props.description,
      tags: [...(this.props.tags ?? [])],
      editable: false,
      graphTooltip: 1,
      schemaVersion: 39,
      version: 1,
      refresh: '1m',
      time: { from: 'now-6h', to: 'now' },
      timepicker: {},
      timezone: 'browser',
      annotations: { list: [] },
      links: [],
      templating: { list: variables },
      panels: this.panels.map((p) => ({ ...p })),
    };
  }

  private datasource(source: PanelSource): { type: string; uid: string } {
    return source === 'logs' ? { type: 'loki', uid: '${logs}' } : { type: 'prometheus', uid: '${datasource}' };
  }

  private newLine(): void {
    if (this.x === 0 && this.lineHeight === 0) return;
    this.y += this.lineHeight;
    this.x = 0;
    this.lineHeight = 0;
  }
}

function optionsFor(spec: PanelSpec): Record<string, unknown> {
  switch (spec.kind) {
    case 'timeseries':
      return {
        legend: { displayMode: 'table', placement: 'bottom', showLegend: true, calcs: ['mean', 'max'] },
        tooltip: { mode: 'multi', sort: 'desc' },
      };
    case 'stat':
      return {
        reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
        colorMode: 'value',
        graphMode: 'area',
        justifyMode: 'auto',
        orientation: 'auto',
        textMode: 'auto',
      };
    case 'table':
      return { showHeader: true, cellHeight: 'sm', footer: { show: false, reducer: ['sum'], fields: '' } };
  }
}

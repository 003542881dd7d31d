import { invalid } from '../core/validation';
import { CORAZA_COMPOSER } from './versions';

/**
 * Where Envoy loads the Coraza composer library (`libcomposer.so`) from. Envoy Gateway v1.9.0 accepts a local path
 * or an HTTP(S) URL with a SHA-256 (api/v1alpha1/dynamic_module_types.go `DynamicModuleSource`); Built On Envoy
 * publishes the composer as an OCI image (extensions/composer/Makefile `push_image`), not as a downloadable file.
 * Choose one:
 * - `image`: mount the composer OCI image as a Kubernetes image volume (Kubernetes 1.35+, on AKS by default) into the
 *   Envoy pod and load the library from it. Pin the reference by digest (`…/composer@sha256:<digest>`); a tag is
 *   accepted (a tag can be moved: see docs/envoy-gateway.md on how to read the digest).
 * - `local`: a path inside your own Envoy image that already contains the library.
 * - `remote`: an HTTP(S) URL of the library and its SHA-256, which Envoy verifies after download.
 */
export type CorazaModuleSource =
  | {
      /** The composer OCI image, mounted as an image volume. */
      readonly image: {
        /** Image reference, by digest (`…/composer@sha256:<digest>`) or tag. */
        readonly reference: string;
      };
    }
  | {
      /** A library already inside your Envoy image. */
      readonly local: {
        /** Absolute path of `libcomposer.so` in the Envoy container. */
        readonly path: string;
      };
    }
  | {
      /** A library Envoy downloads and verifies. */
      readonly remote: {
        /** HTTP(S) URL of `libcomposer.so`. */
        readonly url: string;
        /** SHA-256 of the file (64 lower-case hex digits). */
        readonly sha256: string;
      };
    };

/** Where the image volume is mounted in the Envoy container. */
export const CORAZA_MODULE_MOUNT_PATH = '/usr/lib/envoy/modules/composer';
/** Name of the image volume. */
export const CORAZA_MODULE_VOLUME = 'coraza-composer';

const IMAGE_REFERENCE =
  /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\.[a-z0-9-]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)+(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

/** What the module source becomes: the `dynamicModules` entry source and, for `image`, the pod volume and mount. */
export interface RenderedModuleSource {
  /** `EnvoyProxy.spec.dynamicModules[].source`. */
  readonly source: Record<string, unknown>;
  /** Pod volume to add to the Envoy Deployment. @default none */
  readonly volume?: Record<string, unknown>;
  /** Container volume mount for the volume. @default none */
  readonly volumeMount?: Record<string, unknown>;
}

/** Validates a {@link CorazaModuleSource} and renders it. */
export function renderModuleSource(field: string, source: CorazaModuleSource): RenderedModuleSource {
  if ('image' in source) {
    const ref = source.image.reference;
    if (
      typeof ref !== 'string' ||
      !IMAGE_REFERENCE.test(ref) ||
      !(/@sha256:/.test(ref) || /:[\w][\w.-]*$/.test(ref.split('/').pop() ?? '')) ||
      /:latest$/.test(ref)
    ) {
      invalid(
        `${field}.image.reference`,
        ref,
        'is not a pinned OCI image reference',
        `use "${CORAZA_COMPOSER.image}@sha256:<digest>" (or a version tag such as "${CORAZA_COMPOSER.image}:${CORAZA_COMPOSER.version}"), never "latest"`,
      );
    }
    return {
      source: { type: 'Local', local: { path: `${CORAZA_MODULE_MOUNT_PATH}/${CORAZA_COMPOSER.library}` } },
      volume: { name: CORAZA_MODULE_VOLUME, image: { reference: ref, pullPolicy: 'IfNotPresent' } },
      volumeMount: { name: CORAZA_MODULE_VOLUME, mountPath: CORAZA_MODULE_MOUNT_PATH, readOnly: true },
    };
  }
  if ('local' in source) {
    if (typeof source.local.path !== 'string' || !/^\/[^\0]{0,4095}\.so$/.test(source.local.path)) {
      invalid(
        `${field}.local.path`,
        source.local.path,
        'is not an absolute path of a shared library',
        `use the absolute path of ${CORAZA_COMPOSER.library} inside your Envoy image, e.g. "/usr/lib/envoy/modules/${CORAZA_COMPOSER.library}"`,
      );
    }
    return { source: { type: 'Local', local: { path: source.local.path } } };
  }
  if ('remote' in source) {
    if (typeof source.remote.url !== 'string' || !/^https:\/\/[^/?#\s]+\/\S+$/.test(source.remote.url)) {
      invalid(`${field}.remote.url`, source.remote.url, 'is not an https URL', 'use the https URL of the library');
    }
    if (typeof source.remote.sha256 !== 'string' || !/^[a-f0-9]{64}$/.test(source.remote.sha256)) {
      invalid(
        `${field}.remote.sha256`,
        source.remote.sha256,
        'is not a SHA-256 in lower-case hex',
        'use `sha256sum libcomposer.so` of the file you verified',
      );
    }
    return { source: { type: 'Remote', remote: { url: source.remote.url, sha256: source.remote.sha256 } } };
  }
  return invalid(field, source, 'names no module source', 'set exactly one of image, local or remote');
}

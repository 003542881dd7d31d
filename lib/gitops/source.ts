import { invalid } from '../core/validation';
import { checkRepoUrl } from './checks';

/** Where GitOps reads `dist/` from. */
export interface GitSource {
  /** Git repository URL (https:// or ssh://, or scp-like git@host:org/repo.git for Argo CD). */
  readonly repoUrl: string;
  /** Branch, tag (`v1.2.3`) or full commit SHA to follow. */
  readonly revision: string;
  /** Path of `dist/` in the repository, relative to its root (e.g. `dist`). */
  readonly path: string;
}

/** A checked source with the path normalised (no leading `./`, no trailing `/`). */
export function checkGitSource(source: GitSource): GitSource {
  const { repoUrl, revision } = source;
  checkRepoUrl('repoUrl', repoUrl);
  if (
    !/^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/.test(revision) ||
    revision.includes('..') ||
    revision.endsWith('/') ||
    revision.endsWith('.lock')
  ) {
    invalid(
      'revision',
      revision,
      'is not a Git branch, tag or commit',
      'use a branch such as "main", a tag such as "v1.2.0" or a 40-character commit SHA',
    );
  }
  const path = source.path.replace(/^\.\//, '').replace(/\/+$/, '');
  if (
    path === '' ||
    path.startsWith('/') ||
    path.split('/').some((p) => p === '..' || p === '.' || p === '') ||
    /\s/.test(path)
  ) {
    invalid(
      'path',
      source.path,
      'is not a relative folder path inside the repository',
      'give the folder holding dist/ relative to the repository root, e.g. "dist" or "deploy/edge/dist"',
    );
  }
  return { repoUrl, revision, path };
}

/** How Flux's GitRepository refers to the revision: a commit SHA, a semver-like tag or a branch. */
export function fluxRef(revision: string): { branch?: string; tag?: string; commit?: string } {
  if (/^[0-9a-f]{40}$/.test(revision)) return { commit: revision };
  if (/^v?[0-9]+\.[0-9]+\.[0-9]+([-+].*)?$/.test(revision)) return { tag: revision };
  return { branch: revision };
}

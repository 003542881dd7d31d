/** Checks of GitOps inputs that land in dist/delivery in clear (internal: not exported from the package). */
import { checkNoTemplate, checkUrl, invalid } from '../core/validation';

/** scp-like Git address (`git@host:org/repo.git`), which Argo CD reads; the user is the SSH user, not a credential. */
const SCP_LIKE = /^git@[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?:[A-Za-z0-9._~-][A-Za-z0-9._~/-]*$/;

/**
 * A Git repository URL written into dist/delivery in clear: https:// (no user info at all: a token there is a
 * credential), ssh:// with at most the SSH user `git`, or scp-like `git@host:org/repo.git`; never a query
 * (`?access_token=`), a fragment, whitespace or template text.
 */
export function checkRepoUrl(field: string, repoUrl: string): string {
  if (typeof repoUrl === 'string' && repoUrl.startsWith('git@')) {
    if (/[?#]/.test(repoUrl))
      invalid(
        field,
        '(address with a query or fragment; value withheld)',
        'has a query or fragment, where tokens travel',
        'use git@host:org/repo.git and give credentials to Argo CD as a repository Secret',
      );
    if (!SCP_LIKE.test(repoUrl))
      invalid(
        field,
        repoUrl,
        'is not an scp-like Git address',
        'use git@host:org/repo.git (letters, digits, ".", "_", "~", "-" and "/" in the path), or an https:// URL',
      );
    return checkNoTemplate(field, repoUrl);
  }
  if (typeof repoUrl !== 'string' || !/^(https|ssh):\/\//.test(repoUrl))
    invalid(
      field,
      repoUrl,
      'is not a Git repository URL Argo CD and Flux both read',
      'use https://host/org/repo.git or ssh://git@host/org/repo.git',
    );
  return checkUrl(field, repoUrl, {
    schemes: ['https', 'ssh'],
    allowedUser: repoUrl.startsWith('ssh://') ? 'git' : undefined,
    example: 'https://github.com/org/repo.git or ssh://git@github.com/org/repo.git',
  });
}

/** A folder below the `dist/` path (e.g. `delivery/argocd`): relative, no `..`, `.`, empty segments or whitespace. */
export function checkRelativeFolder(field: string, value: string): string {
  const folder = typeof value === 'string' ? value.replace(/^\.\//, '').replace(/\/+$/, '') : '';
  if (
    folder === '' ||
    folder.startsWith('/') ||
    folder.split('/').some((p) => p === '..' || p === '.' || p === '') ||
    !/^[A-Za-z0-9._/-]+$/.test(folder)
  ) {
    invalid(
      field,
      value,
      'is not a relative folder below the dist/ path',
      'give a folder such as "delivery/argocd" (letters, digits, ".", "_", "-" and "/")',
    );
  }
  return folder;
}

import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config.ts';

describe('loadConfig', () => {
  it('defaults to port 4000, .data and embedded PostgreSQL when nothing is set', () => {
    const config = loadConfig({});
    expect(config.port).toBe(4000);
    expect(config.dataDir.endsWith('.data')).toBe(true);
    expect(config.database).toMatchObject({ kind: 'embedded', port: undefined });
  });

  it('uses DATABASE_URL as an external database when it is set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/cp' });
    expect(config.database).toEqual({ kind: 'external', url: 'postgres://u:p@db:5432/cp' });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).database.kind).toBe('embedded');
  });

  it.each([
    [{ PORT: 'abc' }, /^PORT must be a number \(got "abc"\)$/],
    [{ PORT: '70000' }, /^PORT must be between 0 and 65535/],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL$/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL /],
    [{ LOG_PRETTY: 'maybe' }, /^LOG_PRETTY must be true or false/],
  ])('rejects %o with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never echoes the value of a URL variable, which may hold a password', () => {
    try {
      loadConfig({ DATABASE_URL: 'redis://user:hunter2@host' });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
  });

  describe('NODE_ENV=production', () => {
    const real = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://cp@db:5432/cp',
      KUBERNETES_SERVICE_HOST: '10.0.0.1',
      TENANT_API_URL: 'http://justiam-backend:8080/t/{slug}',
      OIDC_ISSUER: 'https://login.example.com',
      OIDC_CLIENT_ID: 'cp',
    };

    it('starts with every real setting given, and no stand-in', () => {
      const config = loadConfig(real);
      expect(config.database.kind).toBe('external');
      expect(config.kube.kind).toBe('in-cluster');
      expect(config.tenants.apiUrl).toBe(real.TENANT_API_URL);
      expect(config.auth.issuer?.url).toBe(real.OIDC_ISSUER);
    });

    it.each([
      ['DATABASE_URL', /DATABASE_URL \(instead of embedded PostgreSQL\)/],
      ['KUBERNETES_SERVICE_HOST', /KUBE_MODE=in-cluster or KUBECONFIG \(instead of the cluster simulator/],
      ['TENANT_API_URL', /TENANT_API_URL \(instead of the tenant simulator\)/],
      ['OIDC_ISSUER', /OIDC_ISSUER \(instead of the built-in dev issuer\)/],
    ])('refuses to start a stand-in when %s is missing, naming the variable', (name, message) => {
      const env: Record<string, string> = { ...real };
      delete env[name];
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(message);
    });

    it('names every missing variable in one line', () => {
      expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
        /^NODE_ENV=production runs no development stand-ins: set DATABASE_URL .*, KUBE_MODE=.*, TENANT_API_URL .*, OIDC_ISSUER .*$/,
      );
    });

    it('refuses an explicit KUBE_MODE=simulator', () => {
      expect(() => loadConfig({ ...real, KUBE_MODE: 'simulator' })).toThrow(
        /instead of the cluster simulator/,
      );
    });

    it('takes KUBECONFIG as a real cluster', () => {
      const { KUBERNETES_SERVICE_HOST: _, ...env } = real;
      expect(loadConfig({ ...env, KUBECONFIG: '/etc/kube/config' }).kube.kind).toBe('kubeconfig');
    });

    it('refuses the crash test hook', () => {
      expect(() => loadConfig({ ...real, CP_FAULT_AFTER_STEP: 'create:secret' })).toThrow(
        'CP_FAULT_AFTER_STEP is a test hook and is refused when NODE_ENV=production',
      );
    });
  });

  describe('backup runner', () => {
    it('is local outside a cluster: with the simulator (which then runs no Jobs) and with a kubeconfig', () => {
      const embedded = loadConfig({});
      expect(embedded.backups.runner).toBe('local');
      expect(embedded.kube).toMatchObject({ kind: 'simulator', runJobs: undefined });
      expect(loadConfig({ KUBECONFIG: '/etc/kube/config' }).backups.runner).toBe('local');
    });

    it('is job in a cluster (the in-cluster service account), with a pinned pg_dump 15 image, an hour and the backups claim', () => {
      const config = loadConfig({ KUBERNETES_SERVICE_HOST: '10.96.0.1' });
      expect(config.kube.kind).toBe('in-cluster');
      expect(config.backups.runner).toBe('job');
      expect(config.backups.job).toEqual({
        image: 'postgres:15.17-bookworm',
        deadlineSeconds: 3600,
        volumeClaim: 'justiam-cp-backups',
      });
    });

    it('follows BACKUP_RUNNER either way, and the Job settings', () => {
      expect(
        loadConfig({ KUBERNETES_SERVICE_HOST: '10.96.0.1', BACKUP_RUNNER: 'local' }).backups.runner,
      ).toBe('local');
      const config = loadConfig({
        KUBECONFIG: '/etc/kube/config',
        BACKUP_RUNNER: 'job',
        BACKUP_JOB_IMAGE: `registry.example.com/pg/postgres:17.2@sha256:${'a'.repeat(64)}`,
        BACKUP_JOB_DEADLINE_SECONDS: '600',
        BACKUP_JOB_VOLUME_CLAIM: 'tenant-backups',
      });
      expect(config.backups).toMatchObject({
        runner: 'job',
        job: {
          image: `registry.example.com/pg/postgres:17.2@sha256:${'a'.repeat(64)}`,
          deadlineSeconds: 600,
          volumeClaim: 'tenant-backups',
        },
      });
    });

    it('with the simulator, the job runner makes it run Jobs, with KUBE_SIM_JOB_PATH as their PATH', () => {
      expect(loadConfig({ BACKUP_RUNNER: 'job' }).kube).toMatchObject({
        kind: 'simulator',
        runJobs: { path: undefined },
      });
      expect(
        loadConfig({ BACKUP_RUNNER: 'job', KUBE_SIM_JOB_PATH: '/usr/lib/postgresql/15/bin:/usr/bin' }).kube,
      ).toMatchObject({ runJobs: { path: '/usr/lib/postgresql/15/bin:/usr/bin' } });
    });

    it.each([
      [{ BACKUP_RUNNER: 'cron' }, /^BACKUP_RUNNER must be local or job \(got "cron"\)$/],
      [
        { BACKUP_JOB_IMAGE: 'Postgres 15' },
        /^BACKUP_JOB_IMAGE must be an image reference with pg_dump on its PATH/,
      ],
      [{ BACKUP_JOB_DEADLINE_SECONDS: '0' }, /^BACKUP_JOB_DEADLINE_SECONDS must be between 1 and 604800/],
      [{ BACKUP_JOB_DEADLINE_SECONDS: 'an hour' }, /^BACKUP_JOB_DEADLINE_SECONDS must be a number/],
      [
        { BACKUP_JOB_VOLUME_CLAIM: 'Backups_PVC' },
        /^BACKUP_JOB_VOLUME_CLAIM must be the name of a PersistentVolumeClaim/,
      ],
    ])('rejects %o with one line naming the variable', (env, message) => {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(message);
    });
  });
});

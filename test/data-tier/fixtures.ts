import { DataTierProps } from '../../lib';

/** Minimal valid DataTier props: the three Secret references. */
export const TIER_PROPS: DataTierProps = {
  postgres: { credentials: { name: 'pg-credentials' } },
  redis: { password: { name: 'redis-credentials', key: 'password' } },
  milvus: { minioCredentials: { accessKey: { name: 'minio-credentials', key: 'access-key' }, secretKey: { name: 'minio-credentials', key: 'secret-key' } } },
};

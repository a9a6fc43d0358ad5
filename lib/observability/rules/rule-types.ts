// Rule groups are part of the monitorable contract (lib/shared), so stores can carry their own alerts.
export * from '../../shared/alert-rules';

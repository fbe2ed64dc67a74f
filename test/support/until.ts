// The one polling helper lives in shared so that shared's own tests can use it too.
export { until } from '../../shared/src/testing/until';

import { packageBuild } from '../../scripts/package-build';

export default packageBuild({ platform: 'neutral' });

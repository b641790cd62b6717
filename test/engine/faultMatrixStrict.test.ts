// The fault matrix (faultMatrix.ts) against the strict reading of the protocol; its other half runs
// in a file of its own, so that jest's two workers share the matrix.
import { describeFaultMatrix } from './faultMatrix';

describeFaultMatrix('strict');

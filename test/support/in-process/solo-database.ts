// Points this test file's app code at a database the files on the shared one never touch (the unit projects' second
// local endpoint), for tests about a whole table: the last admin (on the shared database another file's admins
// would change their answers, and their "only one admin" would refuse another file's admin), and pruning, which
// deletes every expired row, another file's too. Import it instead of database.ts. The files that use it do not
// meet: the last admin's tests make no row old enough for pruning to delete.
import { inject } from 'vitest';
import { pointAtDatabase } from './use-database.ts';

pointAtDatabase(inject('soloDb'));

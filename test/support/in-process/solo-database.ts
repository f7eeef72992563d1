// Points this test file's app code at a database no other file uses (the unit projects' second local endpoint),
// for tests about the whole users table, such as the last admin: on the shared database another file's admins
// would change their answers, and their "only one admin" would refuse another file's admin. Import it instead of
// database.ts; one file per project uses it.
import { inject } from 'vitest';
import { pointAtDatabase } from './use-database.ts';

pointAtDatabase(inject('soloDb'));

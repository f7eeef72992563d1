// `/api/users/{id}` called in process, as Next.js calls it: the route's handler with the id as its params.
import { DELETE, GET, PATCH } from '@/app/api/users/[id]/route.ts';
import { idParams, request } from '@/test/support/requests.ts';

export const getUser = (token: string, id: number) => GET(request('GET', `/api/users/${id}`, { token }), idParams(id));

export const patchUser = (token: string, id: number, body: unknown) =>
  PATCH(request('PATCH', `/api/users/${id}`, { token, body }), idParams(id));

export const deleteUser = (token: string, id: number) =>
  DELETE(request('DELETE', `/api/users/${id}`, { token }), idParams(id));

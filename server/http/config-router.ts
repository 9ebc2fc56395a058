import { Router } from 'express';
import { z } from 'zod';
import type { Auth } from '../app/auth.ts';
import {
  type Configuration,
  countersRequest,
  createStaffRequest,
  devicesRequest,
  printerRequest,
  servicesRequest,
  updateStaffRequest,
} from '../app/configuration.ts';
import { userId } from '../contract/schemas.ts';
import { parseInput, unwrap } from './errors.ts';
import { actorOf, requireRole } from './session.ts';

/** `If-Match: "7"` (or 7): the version the edit was made on; absent, the edit applies to whatever is current. */
const ifMatch = z
  .string()
  .regex(/^"?\d{1,9}"?$/, 'the configuration version, e.g. "7"')
  .transform((v) => Number(v.replaceAll('"', '')));
const versionOf = (header: string | undefined) =>
  header === undefined ? undefined : parseInput(ifMatch, header, 'header');

/** The manager's configuration: services, counters, devices and staff (`GET /config`, `PUT /config/…`). */
export function configRouter(deps: { configuration: Configuration; auth: Auth }): Router {
  const router = Router();
  const manager = requireRole(deps.auth, 'manager');
  const { configuration } = deps;

  router.get('/config', manager, (_req, res) => {
    const view = configuration.view();
    res.setHeader('ETag', `"${view.version}"`);
    res.json(view);
  });

  router.put('/config/services', manager, (req, res) => {
    const list = parseInput(servicesRequest, req.body, 'body');
    const expected = versionOf(req.headers['if-match']);
    res.json(unwrap(configuration.replaceServices(list, actorOf(res), expected)));
  });

  router.put('/config/counters', manager, (req, res) => {
    const list = parseInput(countersRequest, req.body, 'body');
    const expected = versionOf(req.headers['if-match']);
    res.json(unwrap(configuration.replaceCounters(list, actorOf(res), expected)));
  });

  router.put('/config/devices', manager, async (req, res) => {
    const list = parseInput(devicesRequest, req.body, 'body');
    const expected = versionOf(req.headers['if-match']);
    res.json(unwrap(await configuration.replaceDevices(list, actorOf(res), expected)));
  });

  router.put('/config/printer', manager, async (req, res) => {
    const input = parseInput(printerRequest, req.body, 'body');
    const expected = versionOf(req.headers['if-match']);
    res.json(unwrap(await configuration.replacePrinter(input, actorOf(res), expected)));
  });

  router.post('/config/staff', manager, async (req, res) => {
    const input = parseInput(createStaffRequest, req.body, 'body');
    res.status(201).json(unwrap(await configuration.createStaff(input, actorOf(res))));
  });

  router.put('/config/staff/:id', manager, (req, res) => {
    const id = parseInput(userId, req.params.id, 'params');
    const change = parseInput(updateStaffRequest, req.body, 'body');
    res.json(unwrap(configuration.updateStaff(id, change, actorOf(res))));
  });

  router.post('/config/staff/:id/reset-password', manager, async (req, res) => {
    const id = parseInput(userId, req.params.id, 'params');
    res.json(unwrap(await configuration.resetPassword(id, actorOf(res))));
  });

  return router;
}

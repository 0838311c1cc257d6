import type { FastifyRequest } from 'fastify';
import { IdParams, Ok } from '@yunwei/contracts/common';
import {
  APPROVAL_PERMISSIONS as P,
  ApprovalAddSigner,
  ApprovalApprove,
  ApprovalComment,
  ApprovalCount,
  ApprovalFlow,
  ApprovalFlowCreate,
  ApprovalFlowList,
  ApprovalFlowUpdate,
  ApprovalInbox,
  ApprovalInboxQuery,
  ApprovalPeople,
  ApprovalPeopleQuery,
  ApprovalReject,
  ApprovalRequestDetail,
  ApprovalTransfer,
  ApprovalWithdraw,
} from '@yunwei/contracts/approvals';
import { actorOf } from '../../platform/http/request-actor.js';
import type { ModuleContext, YunweiApp } from '../../platform/module.js';
import { approvalsOf } from './runtime.js';

export function approvalsRoutes(app: YunweiApp, ctx: ModuleContext): void {
  const approvals = approvalsOf(ctx);
  const tags = ['approvals'];
  const manage = { permission: P.flowManage };
  const use = { permission: P.taskUse };
  const ok = { ok: true as const };
  // A decision answers with the request as it now stands (the reader took part in it, so may read it).
  const decided = (req: FastifyRequest, requestId: string) => approvals.views.detail(actorOf(req), requestId);

  app.get('/api/approvals/flows', { config: manage, schema: { tags, summary: 'Approval flows', response: { 200: ApprovalFlowList } } }, (req) => approvals.flows.list(actorOf(req)));
  app.post('/api/approvals/flows', { config: manage, schema: { tags, summary: 'Create a flow: ordered steps of approvers (会签 all / 或签 any / 依次 sequence)', body: ApprovalFlowCreate, response: { 200: ApprovalFlow } } }, (req) =>
    approvals.flows.create(actorOf(req), req.body),
  );
  app.patch('/api/approvals/flows/:id', { config: manage, schema: { tags, summary: 'Change a flow (requests under way keep the steps they started with)', params: IdParams, body: ApprovalFlowUpdate, response: { 200: ApprovalFlow } } }, (req) =>
    approvals.flows.update(actorOf(req), req.params.id, req.body),
  );
  app.delete('/api/approvals/flows/:id', { config: manage, schema: { tags, summary: 'Delete a flow (requests under way carry on)', params: IdParams, response: { 200: Ok } } }, async (req) => {
    await approvals.flows.remove(actorOf(req), req.params.id);
    return ok;
  });

  app.get('/api/approvals/inbox', { config: use, schema: { tags, summary: 'My to-do (todo), submitted (submitted) or handled (done) requests, newest first', querystring: ApprovalInboxQuery, response: { 200: ApprovalInbox } } }, (req) =>
    approvals.views.inbox(actorOf(req), req.query),
  );
  app.get('/api/approvals/count', { config: use, schema: { tags, summary: 'How many requests wait for me (the header badge)', response: { 200: ApprovalCount } } }, (req) => approvals.views.count(actorOf(req)));
  app.get('/api/approvals/people', { config: use, schema: { tags, summary: 'Active people by name (to hand a task to or add an approver)', querystring: ApprovalPeopleQuery, response: { 200: ApprovalPeople } } }, (req) =>
    approvals.views.people(req.query),
  );
  app.get('/api/approvals/requests/:id', { config: use, schema: { tags, summary: 'A request with its steps, tasks and history (its submitter, its approvers and flow managers only)', params: IdParams, response: { 200: ApprovalRequestDetail } } }, (req) =>
    approvals.views.detail(actorOf(req), req.params.id),
  );

  app.post('/api/approvals/tasks/:id/approve', { config: use, schema: { tags, summary: 'Approve my task', params: IdParams, body: ApprovalApprove, response: { 200: ApprovalRequestDetail } } }, async (req) =>
    decided(req, await approvals.engine.approve(actorOf(req), req.params.id, req.body.comment)),
  );
  app.post('/api/approvals/tasks/:id/reject', { config: use, schema: { tags, summary: '退回 to the submitter (the request ends rejected) or to the previous step', params: IdParams, body: ApprovalReject, response: { 200: ApprovalRequestDetail } } }, async (req) =>
    decided(req, await approvals.engine.reject(actorOf(req), req.params.id, req.body)),
  );
  app.post('/api/approvals/tasks/:id/transfer', { config: use, schema: { tags, summary: '转办: hand my task to another person', params: IdParams, body: ApprovalTransfer, response: { 200: ApprovalRequestDetail } } }, async (req) =>
    decided(req, await approvals.engine.transfer(actorOf(req), req.params.id, req.body)),
  );
  app.post('/api/approvals/tasks/:id/add-signer', { config: use, schema: { tags, summary: '加签: add an approver before me (decides first) or after me', params: IdParams, body: ApprovalAddSigner, response: { 200: ApprovalRequestDetail } } }, async (req) =>
    decided(req, await approvals.engine.addSigner(actorOf(req), req.params.id, req.body)),
  );
  app.post('/api/approvals/requests/:id/withdraw', { config: use, schema: { tags, summary: 'The submitter withdraws a pending request', params: IdParams, body: ApprovalWithdraw, response: { 200: ApprovalRequestDetail } } }, async (req) => {
    await approvals.engine.withdraw(actorOf(req), req.params.id, req.body.comment);
    return decided(req, req.params.id);
  });
  app.post('/api/approvals/requests/:id/comment', { config: use, schema: { tags, summary: 'Comment on a request (its submitter and approvers)', params: IdParams, body: ApprovalComment, response: { 200: Ok } } }, async (req) => {
    await approvals.engine.comment(actorOf(req), req.params.id, req.body.comment);
    return ok;
  });
}

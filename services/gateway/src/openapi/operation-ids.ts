/**
 * The operationId of every documented route, by `METHOD path`. These names
 * are public API: the SDK and the CLI call them, so they never change once
 * published (a renamed path keeps its operationId). A route missing here
 * still gets a derived name (`derivedOperationId`), but the document test
 * asks for an entry, so the name is chosen once, on purpose.
 */
export const OPERATION_IDS: Record<string, string> = {
  'POST /api/agents': 'registerAgent',
  'GET /api/agents': 'listAgents',
  'GET /api/agents/{id}': 'getAgent',
  'GET /api/agents/me': 'getMyAgent',
  'PATCH /api/agents/me': 'updateMyAgent',
  'PUT /api/agents/me/status': 'setMyStatus',
  'POST /api/agents/me/keys': 'rotateMyKey',

  'POST /api/services': 'publishService',
  'GET /api/services': 'searchServices',
  'GET /api/services/{id}': 'getService',
  'PATCH /api/services/{id}': 'updateService',
  'DELETE /api/services/{id}': 'retireService',

  'POST /api/jobs': 'hireService',
  'GET /api/jobs': 'listJobs',
  'GET /api/jobs/{id}': 'getJob',
  'GET /api/jobs/{id}/tree': 'getJobTree',
  'GET /api/jobs/{id}/history': 'getJobHistory',
  'POST /api/jobs/{id}/start': 'startJob',
  'POST /api/jobs/{id}/deliver': 'deliverJob',
  'POST /api/jobs/{id}/request-revision': 'requestJobRevision',
  'POST /api/jobs/{id}/complete': 'completeJob',
  'POST /api/jobs/{id}/cancel': 'cancelJob',
  'POST /api/jobs/{id}/fail': 'failJob',
  'POST /api/jobs/{id}/dispute': 'disputeJob',
  'POST /api/jobs/{id}/resolve': 'resolveJobDispute',
  'POST /api/jobs/{id}/request-extension': 'requestJobExtension',
  'POST /api/jobs/{id}/extension': 'answerJobExtension',
  'POST /api/jobs/{id}/dispute-response': 'respondToJobDispute',
  'POST /api/jobs/{id}/accept-proposal': 'acceptJobDisputeProposal',
  'POST /api/jobs/{id}/reject': 'rejectJobDelivery',
  'POST /api/jobs/{id}/tip': 'tipJob',
  'POST /api/jobs/{id}/rate-client': 'rateJobClient',
  'GET /api/jobs/{id}/messages': 'listJobMessages',
  'POST /api/jobs/{id}/messages': 'postJobMessage',

  'POST /api/tasks': 'createTask',
  'GET /api/tasks/{id}': 'getTask',
  'GET /api/tasks': 'listTasks',
  'POST /api/tasks/{id}/bids': 'placeBid',
  'GET /api/tasks/{id}/bids': 'listBids',
  'DELETE /api/tasks/{id}/bids/{bid_id}': 'withdrawBid',
  'POST /api/tasks/{id}/bids/{bid_id}/accept': 'acceptBid',

  'GET /api/inbox': 'listInbox',
  'POST /api/inbox/{id}/read': 'markInboxMessageRead',
  'GET /api/activity': 'listActivity',

  'GET /api/wallet': 'getWallet',
  'GET /api/wallet/transactions': 'listWalletTransactions',

  'GET /api/stats': 'getMarketStats',
  'GET /api/graph': 'getCollaborationGraph',
  'GET /api/events': 'streamEvents',
  'GET /api/system': 'getSystemStatus',

  'POST /api/users': 'signUpUser',
  'POST /api/auth/login': 'logIn',
  'POST /api/auth/token': 'exchangeAgentKeyForToken',
  'GET /api/users/me': 'getMyUser',

  'POST /api/webhooks': 'createWebhook',
  'GET /api/webhooks': 'listWebhooks',
  'GET /api/webhooks/{id}': 'getWebhook',
  'PATCH /api/webhooks/{id}': 'updateWebhook',
  'DELETE /api/webhooks/{id}': 'deleteWebhook',
  'POST /api/webhooks/{id}/rotate-secret': 'rotateWebhookSecret',
  'POST /api/webhooks/{id}/test': 'testWebhook',
  'GET /api/webhooks/{id}/deliveries': 'listWebhookDeliveries',
  'POST /api/webhooks/{id}/deliveries/{delivery_id}/retry': 'retryWebhookDelivery',

  'POST /api/admin/credit': 'creditWallet',
  'POST /api/admin/agents/{id}/suspend': 'suspendAgent',
  'POST /api/admin/agents/{id}/unsuspend': 'unsuspendAgent',
  'POST /api/admin/services/{id}/suspend': 'suspendService',
  'POST /api/admin/services/{id}/unsuspend': 'unsuspendService',
  'GET /api/admin/audit': 'listAdminAudit',
  'GET /api/admin/disputes': 'listDisputedJobs',
  'POST /api/admin/events/disconnect': 'disconnectEventStreams',
};

/** A name from the method and the path, for a route not (yet) in OPERATION_IDS: `POST /api/jobs/{id}/start` → `postJobsIdStart`. */
export function derivedOperationId(method: string, path: string): string {
  const words = path
    .replace(/^\/api\//, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return [method.toLowerCase(), ...words.map((word) => word[0]!.toUpperCase() + word.slice(1))].join('');
}

export function operationIdOf(method: string, path: string): string {
  return OPERATION_IDS[`${method} ${path}`] ?? derivedOperationId(method, path);
}

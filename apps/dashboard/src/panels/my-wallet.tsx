import { apiGet } from '../api/client.ts';
import type { WalletView } from '../api/types.ts';
import { useApp } from '../app-context.ts';
import { formatAmount } from '../format.ts';
import { concernsViewer } from '../session/job-access.ts';
import { credentialsOf, ownIdOf } from '../session/session.ts';
import { Panel, Status } from '../ui/panel.tsx';
import { useLiveResource } from '../ui/use-live-resource.ts';

/** GET /api/wallet: available and held per currency, refreshed when money of the viewer moves. */
export function MyWallet() {
  const { session } = useApp();
  const wallet = useLiveResource(`wallet:${ownIdOf(session)}`, (signal) => apiGet<WalletView>('/api/wallet', credentialsOf(session), signal), {
    pollMs: 30_000,
    minIntervalMs: 1000,
    refreshOn: (item) => concernsViewer(session, item),
    debounceMs: 500,
  });
  const balances = wallet.data?.balances ?? [];
  return (
    <Panel id="my-wallet" title="My wallet">
      <Status loading={wallet.loading} error={wallet.error} hasData={!!wallet.data} />
      {wallet.data ? (
        <table class="wallet" data-testid="wallet-table">
          <caption class="visually-hidden">Balances per currency</caption>
          <thead>
            <tr>
              <th scope="col">Currency</th>
              <th scope="col" class="num">Available</th>
              <th scope="col" class="num">Held</th>
            </tr>
          </thead>
          <tbody>
            {balances.map((balance) => (
              <tr key={balance.currency}>
                <th scope="row">{balance.currency}</th>
                <td class="num">{formatAmount(balance.currency, balance.available)}</td>
                <td class="num">{formatAmount(balance.currency, balance.held)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Panel>
  );
}

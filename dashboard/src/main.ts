/**
 * The wall dashboard: signs in (or takes a read-only token), then asks the
 * gateway for both provinces' figures in one GraphQL request per refresh:
 * at start, on every filter change, on "Refresh", and every `?refresh=`
 * seconds (default 60; 0 turns it off). The filters live in the address
 * (`?days=30&category=GENE_SEQUENCER`), so a wall screen reopens as it was.
 * A screen signed in with a password stays signed in: when its short-lived
 * access token is refused, it renews it once with its refresh token.
 */
import './dashboard.css';
import { toDashboardModel } from './dashboardModel';
import { DASHBOARD_QUERY, type DashboardData, type DashboardVariables } from './dashboardQuery';
import { createDashboardView, type DashboardSettings, type DashboardView } from './dashboardView';
import { byId } from './dom';
import { ApiUnavailableError, login, logout, postGraphQL, refreshSession, SessionExpiredError, type GraphQLResult } from './graphqlClient';
import { renderLoginView } from './loginView';
import { completeDaysBefore, PERIOD_CHOICES } from './period';
import { refusedTokenText } from './refusalMessages';

const TOKEN_KEY = 'shuangcheng.dashboard.token';
/** Present only after a sign-in with a password: a pasted dashboard token cannot be renewed. */
const REFRESH_KEY = 'shuangcheng.dashboard.refreshToken';
const DEFAULT_DAYS = 30;
const DEFAULT_REFRESH_SECONDS = 60;

function readSettings(url: URL): DashboardSettings & { refreshSeconds: number } {
  const days = Number(url.searchParams.get('days'));
  const category = url.searchParams.get('category');
  const refresh = url.searchParams.get('refresh');
  const refreshSeconds = refresh === null ? DEFAULT_REFRESH_SECONDS : Number(refresh);
  return {
    days: (PERIOD_CHOICES as readonly number[]).includes(days) ? days : DEFAULT_DAYS,
    // The API's own rule for category codes; anything else is ignored.
    category: category && /^[A-Z][A-Z0-9_]{1,39}$/.test(category) ? category : null,
    refreshSeconds: Number.isInteger(refreshSeconds) && refreshSeconds >= 0 && refreshSeconds <= 86_400 ? refreshSeconds : DEFAULT_REFRESH_SECONDS,
  };
}

function writeSettings(settings: DashboardSettings): void {
  const url = new URL(window.location.href);
  url.searchParams.set('days', String(settings.days));
  if (settings.category) url.searchParams.set('category', settings.category);
  else url.searchParams.delete('category');
  history.replaceState(null, '', url);
}

/** A broken %-escape is kept as written: the API refuses it and the page says the token is not valid, instead of stopping. */
function decodeOrKeep(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A token in the address (`#token=…`, never sent to a server) is taken once and removed from the address. */
function takeTokenFromAddress(): void {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (!match?.[1]) return;
  sessionStorage.setItem(TOKEN_KEY, decodeOrKeep(match[1]));
  history.replaceState(null, '', window.location.pathname + window.location.search);
}

function start(): void {
  const root = byId('app');
  const settings = readSettings(new URL(window.location.href));
  let view: DashboardView | null = null;
  let generation = 0;
  let timer: number | undefined;

  const showLogin = (message = '') => {
    generation += 1;
    view = null;
    window.clearInterval(timer);
    renderLoginView(root, {
      async signIn(username, password) {
        const session = await login(username, password);
        sessionStorage.setItem(TOKEN_KEY, session.token);
        sessionStorage.setItem(REFRESH_KEY, session.refreshToken);
        showDashboard();
      },
      useToken(token) {
        sessionStorage.setItem(TOKEN_KEY, token);
        sessionStorage.removeItem(REFRESH_KEY);
        showDashboard();
      },
    }, message);
  };

  const signOut = (message = '') => {
    const refreshToken = sessionStorage.getItem(REFRESH_KEY);
    if (refreshToken) void logout(refreshToken);
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(REFRESH_KEY);
    showLogin(message);
  };

  /** The renewal in flight: requests refused at the same time wait for one renewal instead of each using the refresh token. */
  let renewal: Promise<string> | null = null;

  /** An access token newer than `used`: one another request already renewed, or a renewal with the refresh token. */
  const renewedToken = (used: string | undefined): Promise<string> => {
    const current = sessionStorage.getItem(TOKEN_KEY);
    if (current && current !== used) return Promise.resolve(current);
    if (renewal) return renewal;
    const refreshToken = sessionStorage.getItem(REFRESH_KEY);
    if (!refreshToken) return Promise.reject(new SessionExpiredError('No way to renew this sign-in.'));
    // Single use: sent twice, the server would take it as stolen and end the session.
    sessionStorage.removeItem(REFRESH_KEY);
    renewal = refreshSession(refreshToken)
      .then((session) => {
        sessionStorage.setItem(TOKEN_KEY, session.token);
        sessionStorage.setItem(REFRESH_KEY, session.refreshToken);
        return session.token;
      })
      .finally(() => {
        renewal = null;
      });
    return renewal;
  };

  /** The figures with the current access token; once refused, with a renewed one (when the screen can renew it). */
  const askWithSession = async (variables: Record<string, unknown>): Promise<GraphQLResult<DashboardData>> => {
    const used = sessionStorage.getItem(TOKEN_KEY) ?? undefined;
    try {
      return await postGraphQL<DashboardData>(DASHBOARD_QUERY, variables, used);
    } catch (error) {
      if (!(error instanceof SessionExpiredError)) throw error;
      const token = await renewedToken(used).catch(() => {
        throw error;
      });
      return postGraphQL<DashboardData>(DASHBOARD_QUERY, variables, token);
    }
  };

  const refresh = async () => {
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (!token || !view) return;
    const current = view;
    const mine = ++generation;
    const period = completeDaysBefore(new Date(), settings.days);
    const variables: DashboardVariables = { from: period.from, to: period.to };
    current.setBusy(true);
    try {
      const result = await askWithSession({ ...variables });
      if (mine !== generation) return; // a newer request (filter change) owns the wall
      current.render(toDashboardModel(result.data, result.errors, period, settings.category));
    } catch (error) {
      if (mine !== generation) return;
      if (error instanceof SessionExpiredError) {
        signOut(refusedTokenText(sessionStorage.getItem(TOKEN_KEY)));
        return;
      }
      // Never a stack trace on the wall: a sentence, and the details for developers in the console.
      console.error(error);
      current.showProblem(error instanceof ApiUnavailableError ? error.message : 'The figures could not be shown; the next refresh tries again. 数据暂时无法显示，稍后自动重试。');
    } finally {
      if (mine === generation) current.setBusy(false);
    }
  };

  const showDashboard = () => {
    view = createDashboardView(root, settings, {
      onFiltersChange(next) {
        settings.days = next.days;
        settings.category = next.category;
        writeSettings(settings);
        void refresh();
      },
      onRefresh: () => void refresh(),
      onSignOut: () => signOut(),
    });
    void refresh();
    window.clearInterval(timer);
    if (settings.refreshSeconds > 0) timer = window.setInterval(() => void refresh(), settings.refreshSeconds * 1000);
  };

  takeTokenFromAddress();
  if (sessionStorage.getItem(TOKEN_KEY)) showDashboard();
  else showLogin();
}

start();

import type { Cxkit } from '@cxkit/sdk';

// The script tag defines window.cxkit: the loader's stub until cxkit.js has loaded, then the real
// client. Look it up at each call: a reference kept from before the load would still be the stub,
// whose queue has already been replayed.
const cxkit = () => (window as unknown as { cxkit: Cxkit }).cxkit;

const status = document.querySelector<HTMLElement>('#status')!;
const who = document.querySelector<HTMLElement>('#who')!;

document.querySelector('#checkout')!.addEventListener('click', () => {
  cxkit().track('checkout_completed', { total: 90.5, currency: 'EUR', items: 2 });
  status.textContent = 'Order placed. Thank you!';
});

document.querySelector('#close-chat')!.addEventListener('click', () => {
  cxkit().track('support_chat_closed', { agent: 'sam', durationSeconds: 240 });
});

document.querySelector('#export')!.addEventListener('click', () => {
  cxkit().track('report_exported', { format: 'csv', rows: 212 });
});

// The CES prompt renders inline, below the button: on a short window it would appear out of sight.
cxkit().on('survey_shown', ({ surveyId }) => {
  if (surveyId === 'ces-export') document.querySelector('#export-feedback')!.scrollIntoView({ block: 'nearest' });
});

// cxkit reads the page's lang each time it shows a prompt.
document.querySelector<HTMLSelectElement>('#lang')!.addEventListener('change', (event) => {
  document.documentElement.lang = (event.target as HTMLSelectElement).value;
});

// The demo's own sign-in, kept across page loads like a real app's session. Like a real app it tells
// cxkit who is signed in on every page load, and calls reset() on sign-out.
const login = document.querySelector<HTMLButtonElement>('#login')!;
const signedIn = () => localStorage.getItem('demo.signedIn') === 'ada';
// Ada works at Globex, one of the demo's companies: its health is on the dashboard's Accounts.
const identifyAda = () => {
  cxkit().identify('user-ada', { name: 'Ada', plan: 'team' });
  cxkit().group('globex', { name: 'Globex', plan: 'team' });
};

function showWho(): void {
  who.textContent = signedIn() ? 'Signed in as Ada' : 'Not signed in';
  login.textContent = signedIn() ? 'Sign out' : 'Sign in as Ada';
}

login.addEventListener('click', () => {
  if (signedIn()) {
    localStorage.removeItem('demo.signedIn');
    cxkit().reset();
  } else {
    localStorage.setItem('demo.signedIn', 'ada');
    identifyAda();
  }
  showWho();
});

if (signedIn()) identifyAda();
showWho();

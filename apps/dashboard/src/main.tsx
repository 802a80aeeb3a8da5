import { render } from 'preact';
import { App } from './app.tsx';
import { applyTheme, loadTheme } from './ui/theme.ts';
import './styles.css';

applyTheme(loadTheme());
const root = document.getElementById('app');
if (root) render(<App />, root);

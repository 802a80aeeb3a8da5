import { useState } from 'preact/hooks';
import { applyTheme, loadTheme, nextTheme, type ThemeChoice } from './theme.ts';

const ICONS: Record<ThemeChoice, string> = { system: '◐', light: '☀', dark: '☾' };

/** Cycles the colour theme: as the system says, light, dark. */
export function ThemeToggle() {
  const [choice, setChoice] = useState<ThemeChoice>(loadTheme);
  const next = nextTheme(choice);
  return (
    <button
      type="button"
      class="icon-button"
      aria-label={`Theme: ${choice}. Switch to ${next}`}
      title={`Theme: ${choice}`}
      data-testid="theme-toggle"
      onClick={() => {
        applyTheme(next);
        setChoice(next);
      }}
    >
      <span aria-hidden="true">{ICONS[choice]}</span>
    </button>
  );
}

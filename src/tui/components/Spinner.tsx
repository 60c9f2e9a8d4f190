/** A spinner that turns only while something runs and only on an interactive terminal. */
import { Text } from 'ink';
import { useTick } from '../hooks/use-tick.js';
import { useUi } from '../hooks/use-ui.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function Spinner() {
  const { animate } = useUi();
  const tick = useTick(animate, 120);
  return (
    <Text color="cyan" aria-hidden>
      {animate ? FRAMES[tick % FRAMES.length] : '…'}
    </Text>
  );
}

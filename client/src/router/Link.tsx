import type { AnchorHTMLAttributes, MouseEvent } from 'react';
import { isPlainLeftClick, navigate } from './navigation.ts';
import { hrefOf } from './routes.ts';

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & {
  /** App path without the base, e.g. `/audit`. */
  to: string;
};

/** A real link (it works without JavaScript and in a new tab) that navigates in place on a plain click. */
export function Link({ to, onClick, ...rest }: LinkProps) {
  const href = hrefOf(to);
  function handleClick(event: MouseEvent<HTMLAnchorElement>) {
    onClick?.(event);
    if (!isPlainLeftClick(event) || rest.target) return;
    event.preventDefault();
    navigate(href);
  }
  return <a href={href} onClick={handleClick} {...rest} />;
}

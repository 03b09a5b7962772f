import { Link } from '../router/Link.tsx';

export function NotFoundPage({ pathname }: { pathname: string }) {
  return (
    <>
      <h1>Page not found</h1>
      <p>
        There is no page at <code>{pathname}</code>. <Link to="/">Go to the dashboard</Link>.
      </p>
    </>
  );
}

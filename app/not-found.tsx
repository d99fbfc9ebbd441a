import { NotFoundView } from '@/components/board/NotFoundView';

export default function NotFound() {
  return (
    <NotFoundView
      title="Page not found"
      message="There is nothing at this address. Check the link, or start from the home page."
    />
  );
}

import { NotFoundView } from '@/components/board/NotFoundView';

export default function BoardNotFound() {
  return <NotFoundView />;
}

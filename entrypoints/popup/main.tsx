import { createRoot } from 'react-dom/client';
import { PopupApp } from './PopupApp';
import '../../components/page.css';

createRoot(document.getElementById('root')!).render(<PopupApp />);

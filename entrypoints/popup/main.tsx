import { createRoot } from 'react-dom/client';
import { PopupApp } from './PopupApp';
import '../../components/page.css';
import '../../components/popup.css';

createRoot(document.getElementById('root')!).render(<PopupApp />);

import type { Messages } from '../types';

// Spanish, the language file cxkit-widget-es.js: the sdk loads it beside the widget chunk for a
// Spanish prompt. The texts in messages.ts's order.
export default [
  '¿Qué probabilidad hay de que nos recomiende a un amigo o colega?', 'Nada probable', 'Muy probable',
  '¿Qué tan satisfecho está con su experiencia?', 'Muy insatisfecho', 'Muy satisfecho',
  '¿Qué tan fácil le resultó hacer lo que quería?', 'Muy difícil', 'Muy fácil',
  '¿Qué podríamos mejorar?', '¿Qué mejoraría su experiencia?', '¿Qué es lo que más le gusta?',
  'Su respuesta (opcional)', 'Enviar', '¡Gracias por sus comentarios!', 'Recordármelo más tarde', 'No volver a preguntar', 'Cerrar',
] satisfies Messages;

import type { Messages } from '../types';

// Arabic, the language file cxkit-widget-ar.js: the sdk loads it beside the widget chunk for a
// Arabic prompt. The texts in messages.ts's order.
export default [
  'ما مدى احتمال أن توصي بنا لصديق أو زميل؟', 'غير محتمل على الإطلاق', 'محتمل للغاية',
  'ما مدى رضاك عن تجربتك؟', 'غير راضٍ تمامًا', 'راضٍ جدًا',
  'ما مدى سهولة إنجاز ما أردت؟', 'صعب جدًا', 'سهل جدًا',
  'ما الذي يمكننا تحسينه؟', 'ما الذي سيجعل تجربتك أفضل؟', 'ما الذي أعجبك أكثر؟',
  'إجابتك (اختياري)', 'إرسال', 'شكرًا لك على ملاحظاتك!', 'ذكّرني لاحقًا', 'لا تسألني مرة أخرى', 'إغلاق',
] satisfies Messages;

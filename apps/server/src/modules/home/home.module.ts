import { defineModule } from '../../platform/module.js';
import { homeRoutes } from './home.routes.js';

/**
 * 首页: one summary of the other modules' state for the signed-in person. It owns no tables and no
 * permissions: each section is read through the owning module's service, under that module's permission
 * and data scope.
 */
export const homeModule = defineModule({
  id: 'home',
  name: { zh: '首页', en: 'Home' },
  skills: [],
  permissions: [],
  routes: homeRoutes,
});

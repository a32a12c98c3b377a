import type { files as en } from '../en/files';
import type { Translation } from '../messages';

/** 简体中文: what the file system said, as main's notices quote it. */
export const files: Translation<typeof en> = {
  cannotWrite: '无法写入 {{path}}：{{reason}}',
  reason: {
    ENOENT: '目录不存在',
    ENOTDIR: '它的某一级上级不是目录',
    EACCES: '没有权限',
    EPERM: '没有权限',
    EROFS: '文件系统为只读',
    ENOSPC: '磁盘已满',
    EDQUOT: '超出磁盘配额',
    EISDIR: '该位置已有一个目录',
    ENAMETOOLONG: '文件名过长',
    ELOOP: '链接循环指向自身',
    EREADONLY: '该文件为只读，或你无权修改：Athanor 不会替换它',
  },
  noNewFiles: '该文件夹不能新建文件（例如 /proc 这样的虚拟文件系统）',
  noNewFolders: '{{parent}} 下不能新建文件夹（例如 /proc 这样的虚拟文件系统）',
  folderProblem: '{{path}}：{{reason}}',
  kind: { pipe: '命名管道', socket: '套接字', device: '设备' },
  isFolder: '{{path}} 是一个文件夹',
  notAFile: '它是{{kind}}，不是文件',
  tooLarge: '文件太大，无法一次读入（{{bytes}} 字节）',
};
